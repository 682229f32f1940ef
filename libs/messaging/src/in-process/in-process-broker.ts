import { isHandedOff } from '../broker.port';
import type { IncomingMessage, MessageBroker, OutgoingMessage, SubscribeOptions, Subscription } from '../broker.port';
import { consumeBatch } from '../lib/consume-batch';
import { deadLetter, deliverWithRetries } from '../lib/deliver';
import { partitionFor } from '../lib/partition';

interface StoredMessage {
  key?: string;
  value: string;
  headers: Record<string, string>;
  /** When it was published (ms since the epoch). */
  timestamp: number;
}

/** Messages taken from a partition at once, like a bounded Kafka fetch. */
const MAX_BATCH = 500;

interface Group {
  members: Member[];
  /** committed offset per `${topic}:${partition}` */
  committed: Map<string, number>;
}

interface Member {
  options: SubscribeOptions;
  closed: boolean;
}

export interface InProcessBrokerOptions {
  partitions?: number;
  defaultMaxAttempts?: number;
  defaultRetryBackoffMs?: number;
  /** Messages of different keys handled at once per partition when a subscription does not say (same key: one at a time, in order). */
  defaultMaxInFlight?: number;
  onError?: (error: unknown, context: string) => void;
}

/**
 * The standalone mode's broker: the Kafka semantics the services rely on, inside one process.
 * Topics are partitioned logs kept in memory; consumer groups keep committed offsets, so a member
 * that closes and re-subscribes resumes where its group stopped (nothing lost, nothing skipped).
 */
export class InProcessBroker implements MessageBroker {
  private readonly partitions: number;
  private readonly topics = new Map<string, StoredMessage[][]>();
  private readonly groups = new Map<string, Group>();
  private readonly running = new Set<string>();
  /** Handed-off messages not settled yet, per group (they keep the group busy for drain/close). */
  private readonly handedOff = new Map<string, Set<Promise<void>>>();
  private readonly idle = new Set<() => void>();
  private roundRobin = 0;
  private closed = false;

  constructor(private readonly options: InProcessBrokerOptions = {}) {
    this.partitions = options.partitions ?? 3;
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    for (const topic of topics) this.log(topic);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('in-process broker is closed');
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('in-process broker is closed');
    const log = this.log(topic);
    for (const message of messages) {
      const partition = partitionFor(message.key, this.partitions, () => this.roundRobin++);
      log[partition].push({ key: message.key, value: message.value, headers: { ...(message.headers ?? {}) }, timestamp: Date.now() });
    }
    this.pumpAll();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const group = this.groups.get(options.groupId) ?? { members: [], committed: new Map<string, number>() };
    this.groups.set(options.groupId, group);
    for (const topic of options.topics) {
      const log = this.log(topic);
      for (let partition = 0; partition < this.partitions; partition += 1) {
        const slot = `${topic}:${partition}`;
        if (!group.committed.has(slot)) group.committed.set(slot, options.fromBeginning === false ? log[partition].length : 0);
      }
    }
    const member: Member = { options, closed: false };
    group.members.push(member);
    const endsAtStart = options.topics.flatMap((topic) => this.log(topic).map((messages, partition) => ({ slot: `${topic}:${partition}`, end: messages.length })));
    this.pumpAll();
    return {
      isCaughtUp: () => endsAtStart.every(({ slot, end }) => (group.committed.get(slot) ?? 0) >= end),
      close: async () => {
        member.closed = true;
        group.members = group.members.filter((candidate) => candidate !== member);
        // Hand-offs still pending are not waited for: a stopping handler may abandon them (as it
        // would on Kafka, where they are delivered again); the log lives only as long as the process.
        await this.drained(options.groupId, false);
      },
    };
  }

  /** Resolves when every message published so far has been handled (tests and shutdown). */
  async drain(): Promise<void> {
    await this.drained();
  }

  async close(): Promise<void> {
    await this.drained(undefined, false);
    this.closed = true;
  }

  private log(topic: string): StoredMessage[][] {
    let log = this.topics.get(topic);
    if (!log) {
      log = Array.from({ length: this.partitions }, () => []);
      this.topics.set(topic, log);
    }
    return log;
  }

  private pumpAll(): void {
    for (const [groupId, group] of this.groups) {
      for (const slot of group.committed.keys()) void this.pump(groupId, slot);
    }
  }

  /**
   * One loop per group and partition, run like the Kafka adapter runs a fetched batch (same helper,
   * same default of 64): what the log holds past the committed offset is handled with messages of
   * different keys at once (up to `maxInFlight`) and each key's messages one after another in offset
   * order. The committed offset only advances over a contiguous prefix of handled messages, so a
   * member that leaves the group never makes its successor skip a message still being handled.
   */
  private async pump(groupId: string, slot: string): Promise<void> {
    const runKey = `${groupId}|${slot}`;
    if (this.running.has(runKey)) return;
    this.running.add(runKey);
    try {
      const group = this.groups.get(groupId);
      if (!group) return;
      const [topic, partitionText] = splitSlot(slot);
      const partition = Number(partitionText);
      const log = this.log(topic);
      for (;;) {
        const start = group.committed.get(slot) ?? 0;
        const member = this.memberFor(group, topic, partition);
        if (!member || start >= log[partition].length) break;
        const batch = log[partition].slice(start, start + MAX_BATCH).map(
          (stored, index): Omit<IncomingMessage, 'attempt'> & StoredMessage => ({ topic, partition, offset: String(start + index), ...stored, headers: { ...stored.headers } }),
        );
        const policy = {
          maxAttempts: member.options.maxAttempts ?? this.options.defaultMaxAttempts ?? 3,
          retryBackoffMs: member.options.retryBackoffMs ?? this.options.defaultRetryBackoffMs ?? 50,
          publishDeadLetter: (dlqTopic: string, dead: OutgoingMessage) => this.publish(dlqTopic, [dead]),
          onDeadLetter: (dead: IncomingMessage, reason: string) => member.options.observer?.deadLettered?.(dead.topic, reason),
        };
        const handle = async (message: (typeof batch)[number]) => {
          member.options.observer?.received?.(topic, Math.max(0, Date.now() - message.timestamp) / 1000);
          const result = await deliverWithRetries(message, member.options.handler, policy);
          // In one process the hand-off cannot be lost to a crash the log survives, so the offset
          // moves on now; the pending work still keeps the group busy until it settles.
          if (isHandedOff(result)) this.trackHandedOff(groupId, result.settled.catch((error: unknown) => deadLetter(message, error, policy)));
        };
        try {
          await consumeBatch(batch, handle, {
            maxInFlight: member.options.maxInFlight ?? this.options.defaultMaxInFlight ?? 64,
            // A member that left, or lost the partition to a newcomer, starts nothing new.
            isRunning: () => this.memberFor(group, topic, partition) === member,
            resolveOffset: (offset) => {
              group.committed.set(slot, Number(offset) + 1);
              member.options.observer?.lag?.(topic, partition, log[partition].length - Number(offset) - 1);
            },
            heartbeat: async () => undefined,
          });
        } catch (error) {
          // Dead-lettering failed: what follows the committed offset is delivered again shortly.
          this.options.onError?.(error, `delivery ${runKey}@${group.committed.get(slot) ?? 0}`);
          setTimeout(() => void this.pump(groupId, slot), 100).unref();
          break;
        }
      }
    } finally {
      this.running.delete(runKey);
      this.notifyIdle();
    }
  }

  private trackHandedOff(groupId: string, settled: Promise<void>): void {
    const pending = this.handedOff.get(groupId) ?? new Set<Promise<void>>();
    this.handedOff.set(groupId, pending);
    const tracked: Promise<void> = settled
      .catch((error: unknown) => this.options.onError?.(error, `hand-off in ${groupId}`))
      .finally(() => {
        pending.delete(tracked);
        this.notifyIdle();
      });
    pending.add(tracked);
  }

  private memberFor(group: Group, topic: string, partition: number): Member | undefined {
    const members = group.members.filter((member) => !member.closed && member.options.topics.includes(topic));
    if (members.length === 0) return undefined;
    return members[partition % members.length];
  }

  private isBusy(groupId?: string, includeHandedOff = true): boolean {
    for (const key of this.running) if (!groupId || key.startsWith(`${groupId}|`)) return true;
    if (includeHandedOff) for (const [id, pending] of this.handedOff) if ((!groupId || id === groupId) && pending.size > 0) return true;
    if (groupId) return false;
    for (const [id, group] of this.groups) {
      for (const [slot, offset] of group.committed) {
        const [topic, partition] = splitSlot(slot);
        if (this.memberFor(group, topic, Number(partition)) && offset < this.log(topic)[Number(partition)].length) {
          void id;
          return true;
        }
      }
    }
    return false;
  }

  private drained(groupId?: string, includeHandedOff = true): Promise<void> {
    if (!this.isBusy(groupId, includeHandedOff)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!this.isBusy(groupId, includeHandedOff)) {
          this.idle.delete(check);
          resolve();
        }
      };
      this.idle.add(check);
    });
  }

  private notifyIdle(): void {
    for (const check of [...this.idle]) check();
  }
}

function splitSlot(slot: string): [string, string] {
  const index = slot.lastIndexOf(':');
  return [slot.slice(0, index), slot.slice(index + 1)];
}
