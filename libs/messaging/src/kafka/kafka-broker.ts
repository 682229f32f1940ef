import { Kafka, Partitioners, logLevel as KafkaLogLevel } from 'kafkajs';
import type { Admin, Consumer, IHeaders, LogEntry, Producer, SASLOptions } from 'kafkajs';
import { topicConfigOf } from '@npi/kafka-contracts';
import { isHandedOff } from '../broker.port';
import type { HandedOff, IncomingMessage, MessageBroker, OutgoingMessage, SubscribeOptions, Subscription } from '../broker.port';
import { consumeBatch } from '../lib/consume-batch';
import { deadLetter, deliverWithRetries, transientBackoffMs } from '../lib/deliver';
import { OffsetTracker } from '../lib/offset-tracker';

export interface KafkaBrokerOptions {
  brokers: readonly string[];
  clientId: string;
  /** Partitions (default, and per topic), replication factor and min.insync.replicas of topics ensureTopics creates. */
  partitions?: number;
  partitionsByTopic?: Readonly<Record<string, number>>;
  replicationFactor?: number;
  minInsyncReplicas?: number;
  /** TLS to the brokers: PEM strings (CA bundle; client certificate and key for mTLS). Certificates are always verified. */
  ssl?: { ca?: string; cert?: string; key?: string };
  /** SASL/SCRAM credentials (only over TLS). */
  sasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  defaultMaxAttempts?: number;
  defaultRetryBackoffMs?: number;
  /** Messages of different keys handled at once per partition batch (same key: one at a time, in order). */
  defaultMaxInFlight?: number;
  /** Partitions of one subscription handled at once. */
  partitionsConsumedConcurrently?: number;
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra?: Record<string, unknown>) => void;
  /**
   * Recognises a handler failure that says a dependency is away (the database cannot be reached):
   * such a message is retried with backoff while it lasts and never dead-lettered for it.
   */
  isTransient?: (error: unknown) => boolean;
}

/**
 * MessageBroker over Apache Kafka through kafkajs (the client @nestjs/microservices uses).
 * Producer: idempotent, acks from all in-sync replicas. Consumers: one kafkajs consumer per
 * subscription; partitions are consumed concurrently and, inside a fetched batch, messages of
 * different keys run concurrently while each key's messages run one after another in offset order.
 * An offset is committed only once it and every earlier offset of its partition are handled (or
 * dead-lettered), so a crash redelivers and never skips.
 */
export class KafkaBroker implements MessageBroker {
  private readonly kafka: Kafka;
  private producer?: ProducerSlot;
  private admin?: Promise<Admin>;
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly options: KafkaBrokerOptions) {
    const log = options.log;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      ssl: options.ssl ? { rejectUnauthorized: true, ...(options.ssl.ca ? { ca: [options.ssl.ca] } : {}), cert: options.ssl.cert, key: options.ssl.key } : undefined,
      sasl: options.sasl ? (options.sasl as SASLOptions) : undefined,
      logLevel: KafkaLogLevel.WARN,
      retry: { retries: 8, initialRetryTime: 200 },
      logCreator: () => (entry: LogEntry) => {
        const level = entry.level === KafkaLogLevel.ERROR ? 'error' : entry.level === KafkaLogLevel.WARN ? 'warn' : 'debug';
        const { message, ...extra } = entry.log;
        log?.(level, `kafkajs ${entry.namespace}: ${message}`, extra);
      },
    });
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const slot = this.producerSlot();
    const producer = await slot.producer;
    slot.inFlight += 1;
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((message) => ({ key: message.key, value: message.value, headers: message.headers })),
      });
    } catch (error) {
      this.retireProducer(slot, error);
      throw error;
    } finally {
      slot.inFlight -= 1;
      if (slot.retired && slot.inFlight === 0) void producer.disconnect().catch(() => undefined);
    }
  }

  /**
   * After a failed send the idempotent producer's sequence numbers cannot be trusted: kafkajs rolls
   * back the sequence of every partition of a failed request, also of partitions the broker did
   * append (a leader election during a broker restart fails some partitions of a request; a broker
   * stopping may append and never answer). The next send to such a partition reuses the appended
   * batch's sequence: with as many records it is acknowledged as a duplicate and never written
   * (lost), with another count it is refused with OUT_OF_ORDER_SEQUENCE_NUMBER, and so is every
   * send after it until the process restarts (the outbox stops draining). So a failed send retires
   * the producer; the next publish gets a new producer id whose sequences start at 0. What the
   * failed send did append is sent again (at least once: consumers deduplicate).
   */
  private retireProducer(slot: ProducerSlot, error: unknown): void {
    if (this.producer !== slot) return; // a concurrent failure retired it already
    this.producer = undefined;
    slot.retired = true;
    this.options.log?.('warn', 'Kafka send failed: the producer is replaced (new producer id) before the next send', { error: String(error) });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    let closed = false;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // kafkajs restarts a crashed consumer on a timer, even one that crashed while it was being
      // disconnected (work still running past close): a closed subscription must stay closed.
      retry: { retries: 10, restartOnFailure: async () => !closed },
    });
    await consumer.connect();
    const catchUp = await this.endOffsetsToReach(options.groupId, options.topics, options.fromBeginning ?? true);
    for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    const policy = {
      maxAttempts: options.maxAttempts ?? this.options.defaultMaxAttempts ?? 3,
      retryBackoffMs: options.retryBackoffMs ?? this.options.defaultRetryBackoffMs ?? 200,
      publishDeadLetter: (dlqTopic: string, dead: OutgoingMessage) => this.publish(dlqTopic, [dead]),
      onDeadLetter: (dead: IncomingMessage, reason: string) => {
        options.observer?.deadLettered?.(dead.topic, reason);
        this.options.log?.('warn', 'message dead-lettered', { topic: dead.topic, partition: dead.partition, offset: dead.offset, reason });
      },
      isTransient: this.options.isTransient,
    };
    const maxInFlight = options.maxInFlight ?? this.options.defaultMaxInFlight ?? 64;
    // Offsets are committed by hand: a message handed off (see HandedOff) is read past at once but
    // committed only when it settles, and never before an earlier offset of its partition.
    const offsets = new OffsetTracker();
    let commitTimer: NodeJS.Timeout | undefined;
    let commits: Promise<void> = Promise.resolve();
    const commitNow = (): Promise<void> => {
      if (commitTimer) clearTimeout(commitTimer);
      commitTimer = undefined;
      const ready = offsets.takeCommittable();
      if (ready.length === 0) return commits;
      commits = commits
        .then(() => consumer.commitOffsets(ready))
        // A partition lost in a rebalance cannot be committed here; its new owner reads it again.
        .catch((error: unknown) => this.options.log?.('warn', 'offset commit failed; messages may be delivered again', { error: String(error) }));
      return commits;
    };
    const commitSoon = () => {
      commitTimer ??= setTimeout(() => void commitNow(), 20);
    };
    await consumer.run({
      autoCommit: false,
      // Partitions are independent (order is only promised per key, and a key lives on one partition).
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 8,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const sleep = async (ms: number) => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          await heartbeat();
        };
        const running = () => isRunning() && !isStale();
        /**
         * Waits for handed-off work. Work that failed because a dependency was away is handed to the
         * handler again once it may be back (never dead-lettered for that); other failures are.
         */
        const settle = async (message: Omit<IncomingMessage, 'attempt'>, handedOff: HandedOff): Promise<void> => {
          for (let transientFailures = 1; ; transientFailures += 1) {
            try {
              await handedOff.settled;
              return;
            } catch (error) {
              if (!policy.isTransient?.(error)) return deadLetter(message, error, policy);
              if (!running()) throw error;
              await new Promise((resolve) => setTimeout(resolve, transientBackoffMs(policy, transientFailures)));
              const again = await deliverWithRetries(message, options.handler, { ...policy, isRunning: running });
              if (!isHandedOff(again)) return;
              handedOff = again;
            }
          }
        };
        const handle = async (message: Omit<IncomingMessage, 'attempt'>) => {
          const finished = offsets.register(message.topic, message.partition, message.offset);
          if (message.timestamp !== undefined) options.observer?.received?.(message.topic, Math.max(0, Date.now() - message.timestamp) / 1000);
          const result = await deliverWithRetries(message, options.handler, { ...policy, sleep, isRunning: running });
          if (!isHandedOff(result)) {
            finished();
            commitSoon();
            return;
          }
          settle(message, result).then(
            () => {
              finished();
              commitSoon();
            },
            (error: unknown) => this.options.log?.('error', 'handed-off message left uncommitted; it will be delivered again', { error: String(error) }),
          );
        };
        const incoming = batch.messages.map(
          (message): Omit<IncomingMessage, 'attempt'> => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString('utf8'),
            value: message.value?.toString('utf8') ?? '',
            headers: decodeHeaders(message.headers),
            timestamp: Number(message.timestamp),
          }),
        );
        // Behind the high watermark: this batch included before it runs, the rest after.
        const reportLag = (lag: string) => options.observer?.lag?.(batch.topic, batch.partition, Math.max(0, Number(lag)));
        reportLag(batch.offsetLagLow());
        await consumeBatch(incoming, handle, {
          maxInFlight,
          isRunning: running,
          resolveOffset: (offset: string) => {
            resolveOffset(offset);
            catchUp.handled(batch.topic, batch.partition, offset);
          },
          heartbeat,
        });
        reportLag(batch.offsetLag());
      },
    });
    this.consumers.add(consumer);
    return {
      isCaughtUp: () => catchUp.done(),
      close: async () => {
        closed = true;
        this.consumers.delete(consumer);
        // Commit what is done while still a group member (a stopped consumer cannot commit).
        await commitNow();
        await consumer.disconnect();
      },
    };
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: this.options.partitionsByTopic?.[topic] ?? this.options.partitions ?? 3,
        replicationFactor: this.options.replicationFactor ?? 1,
        configEntries: Object.entries({ ...topicConfigOf(topic), 'min.insync.replicas': String(this.options.minInsyncReplicas ?? 1) }).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  /**
   * What "caught up" means for a new subscription: each partition's high watermark at subscribe
   * time, minus what the group already committed (a group resuming needs only the rest).
   */
  private async endOffsetsToReach(groupId: string, topics: readonly string[], fromBeginning: boolean): Promise<CatchUpTracker> {
    const pending = new Map<string, bigint>();
    if (fromBeginning) {
      const admin = await this.connectedAdmin();
      const committed = await retryTransient(() => admin.fetchOffsets({ groupId, topics: [...topics] }));
      const committedOf = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, BigInt(p.offset)] as const)));
      for (const topic of topics) {
        for (const { partition, high, low } of await retryTransient(() => admin.fetchTopicOffsets(topic))) {
          const start = committedOf.get(`${topic}:${partition}`) ?? -1n;
          const next = start >= 0n ? start : BigInt(low);
          if (BigInt(high) > next) pending.set(`${topic}:${partition}`, BigInt(high));
        }
      }
    }
    return {
      handled(topic, partition, offset) {
        const key = `${topic}:${partition}`;
        const target = pending.get(key);
        if (target !== undefined && BigInt(offset) + 1n >= target) pending.delete(key);
      },
      done: () => pending.size === 0,
    };
  }

  async ping(): Promise<void> {
    const admin = await this.connectedAdmin();
    await withTimeout(admin.describeCluster(), 3_000, 'Kafka did not answer within 3 s');
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.allSettled([producer?.producer.then((p) => p.disconnect()), admin?.then((a) => a.disconnect())]);
  }

  private producerSlot(): ProducerSlot {
    if (this.producer) return this.producer;
    const slot: ProducerSlot = {
      inFlight: 0,
      retired: false,
      producer: (async () => {
        const producer = this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await producer.connect();
        return producer;
      })(),
    };
    slot.producer.catch(() => {
      if (this.producer === slot) this.producer = undefined;
    });
    this.producer = slot;
    return slot;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }
}

interface ProducerSlot {
  producer: Promise<Producer>;
  /** Sends under way on it; a retired producer is disconnected once the last one settles. */
  inFlight: number;
  retired: boolean;
}

interface CatchUpTracker {
  handled(topic: string, partition: number, offset: string): void;
  done(): boolean;
}

/** Right after a topic or group is created its leader/coordinator may not be known yet: retry for ~5 s. */
async function retryTransient<T>(operation: () => Promise<T>, attempts = 20, delayMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return result;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
