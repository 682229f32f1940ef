import type { MessageBroker } from '@npi/messaging';
import { SpanKind, extractTraceContext, injectTraceContext, startSpan } from '@npi/observability';
import type { Span } from '@npi/observability';
import type { PrismaClient } from '../prisma-client';
import type { OutboxWakeups } from './outbox-wakeups';
import type { ServiceSchema } from './service-schema';
import { outboxTable } from './service-schema';

export type { ServiceSchema } from './service-schema';

export interface OutboxRelayOptions {
  prisma: PrismaClient;
  schema: ServiceSchema;
  broker: MessageBroker;
  batchSize?: number;
  /** Fallback poll; with `wakeups` the relay normally runs as soon as a writer commits. */
  pollIntervalMs?: number;
  /** Commit notifications (PostgreSQL LISTEN/NOTIFY, or the embedded database's in-process ones). */
  wakeups?: OutboxWakeups;
  onError?: (error: unknown) => void;
  /** Duration of each published batch's broker send (seconds), for the publish-stage histogram. */
  onPublished?: (seconds: number, rows: number) => void;
  /** Per row of a batch taken for publishing: seconds since its writer committed it (the queue stage). */
  onClaimed?: (waitedSeconds: number[]) => void;
  /**
   * How long a published row is kept (default 24 h) before the relay deletes it. The outbox is a
   * transport, not the audit trail (each service keeps its own audit rows); kept for a day so an
   * operator can see what went out, then pruned so the table and its index stay small.
   */
  retainPublishedMs?: number;
  /** How often the relay prunes (default 60 s; at most this often, a bounded batch each time). */
  pruneIntervalMs?: number;
}

/** Rows deleted by one prune statement: a short lock footprint, however large the backlog of old rows. */
const PRUNE_BATCH = 1_000;

interface PendingRow {
  id: string;
  topic: string;
  key: string | null;
  payload: unknown;
  headers: Record<string, string> | null;
  waited: number;
}

/**
 * Publishes a service's outbox rows in commit order. Rows are claimed with FOR UPDATE SKIP LOCKED,
 * so any number of replicas can relay the same outbox without publishing a row twice at once; a
 * row is marked published only after the broker acked it (at-least-once: consumers dedupe by id).
 *
 * Marking a batch published (UPDATE + COMMIT, a WAL flush) overlaps with claiming and sending the
 * next batch: its rows stay locked until that commit, so the next claim skips them, and a batch's
 * send still starts only after the one before it was acked (per-key order). At most one batch is
 * being marked at a time, so the relay needs two connections of its pool. A marking that fails
 * rolls back and leaves its rows unpublished: they are sent again (at least once).
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  /** A wake-up arrived while a flush ran: flush again at once instead of waiting for the poll. */
  private woken = false;
  private unsubscribe?: Promise<(() => Promise<void>) | undefined>;
  /** The last sent batch's marking transaction while it commits (never rejects: failures go to onError). */
  private marking?: Promise<void>;
  private readonly table: string;
  private lastPrune = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = outboxTable(options.schema);
  }

  /** Starts relaying; resolves once the wake-up subscription (if any) listens. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.options.wakeups?.subscribe(this.options.schema, () => this.nudge()).catch((error: unknown) => {
      this.options.onError?.(error);
      return undefined;
    });
    this.schedule(0);
    await this.unsubscribe;
  }

  /** Wake the relay now (a commit wrote outbox rows) instead of waiting for the poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.woken = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await (await this.unsubscribe)?.();
    await this.running?.catch(() => undefined);
    await this.marking;
  }

  /** Rows written and not yet published (the backlog a broker outage builds up). */
  async backlog(): Promise<number> {
    const rows = await this.options.prisma.$queryRawUnsafe<{ pending: number }[]>(`SELECT count(*)::int AS pending FROM ${this.table} WHERE published_at IS NULL`);
    return rows[0]?.pending ?? 0;
  }

  /**
   * Deletes published rows older than the retention, in bounded batches; returns how many. Never
   * touches an unpublished row, whatever its age.
   */
  async prunePublished(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - (this.options.retainPublishedMs ?? 24 * 3_600_000));
    let total = 0;
    for (;;) {
      const deleted = await this.options.prisma.$executeRawUnsafe(
        `DELETE FROM ${this.table} WHERE id IN (SELECT id FROM ${this.table} WHERE published_at IS NOT NULL AND published_at < $1 LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`,
        cutoff,
      );
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }

  /** Publishes everything pending now and marks it published; returns how many rows were published. */
  async flush(): Promise<number> {
    const total = await this.relayPending();
    await this.marking;
    return total;
  }

  /** Sends everything pending now; the last batch's marking may still be committing when it returns. */
  private async relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const { published, marked } = await this.publishBatch();
      const previous = this.marking;
      this.marking = marked;
      await previous;
      total += published;
      if (published < (this.options.batchSize ?? 100)) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.running) return;
    let failed = false;
    try {
      do {
        this.woken = false;
        this.running = this.relayPending();
        await this.running;
      } while (this.woken && !this.stopped);
      if (Date.now() - this.lastPrune >= (this.options.pruneIntervalMs ?? 60_000)) {
        this.lastPrune = Date.now();
        await this.prunePublished();
      }
    } catch (error) {
      failed = true;
      this.options.onError?.(error);
    } finally {
      this.running = undefined;
      const poll = this.options.pollIntervalMs ?? (this.options.wakeups ? 1_000 : 250);
      if (!this.stopped) this.schedule(this.woken && !failed ? 0 : poll);
    }
  }

  /**
   * Claims and sends one batch; resolves once the broker acked it (or nothing was pending), with
   * `marked`: the transaction marking it published, still committing.
   */
  private async publishBatch(): Promise<{ published: number; marked: Promise<void> }> {
    const { prisma, broker } = this.options;
    const batchSize = this.options.batchSize ?? 100;
    let sent: (rows: number) => void = () => undefined;
    const acked = new Promise<number>((resolve) => (sent = resolve));
    const transaction = prisma.$transaction(
      async (tx) => {
        // In the order of the (published_at, created_at) index, so the scan walks the index and
        // stops after `batchSize` rows: each published row leaves a dead index entry among the
        // unpublished ones until VACUUM, and an index scan marks those it passed as dead (later
        // claims skip them), where a bitmap scan + sort would visit every one of them on each claim.
        // Rows with the same created_at (one transaction) come in the index's heap order, the
        // order they were written in.
        const rows = await tx.$queryRawUnsafe<PendingRow[]>(
          `SELECT id::text AS id, topic, key, payload, headers, extract(epoch FROM clock_timestamp() - created_at)::float8 AS waited FROM ${this.table}
           WHERE published_at IS NULL ORDER BY published_at, created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
          batchSize,
        );
        if (rows.length === 0) return sent(0);
        this.options.onClaimed?.(rows.map((row) => Math.max(0, row.waited)));
        // Per topic, in order: one send per topic keeps per-key order and awaits the acks; topics
        // are independent, so their sends go out together.
        const byTopic = new Map<string, PendingRow[]>();
        for (const row of rows) {
          const list = byTopic.get(row.topic);
          if (list) list.push(row);
          else byTopic.set(row.topic, [row]);
        }
        // A producer span per event, child of the request that wrote it; the message carries the
        // span's context, so the Kafka hop and the consumers join the same trace.
        const spans: Span[] = [];
        const message = (row: PendingRow) => {
          const headers = row.headers ?? {};
          const { span, context } = startSpan(`${row.topic} publish`, {
            kind: SpanKind.PRODUCER,
            parent: extractTraceContext(headers),
            attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': row.topic, 'messaging.message.id': row.id },
          });
          spans.push(span);
          return { key: row.key ?? undefined, value: JSON.stringify(row.payload), headers: injectTraceContext({ ...headers }, context) };
        };
        const started = performance.now();
        try {
          await Promise.all([...byTopic].map(([topic, topicRows]) => broker.publish(topic, topicRows.map(message))));
        } finally {
          for (const span of spans) span.end();
        }
        this.options.onPublished?.((performance.now() - started) / 1000, rows.length);
        sent(rows.length);
        await tx.$executeRawUnsafe(
          `UPDATE ${this.table} SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`,
          rows.map((row) => row.id),
        );
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    // Before the ack, a failure (claim or send) is this batch's; after it, only the marking failed.
    const published = await Promise.race([acked, transaction.then(() => acked)]);
    const marked = transaction.then(
      () => undefined,
      (error: unknown) => this.options.onError?.(error),
    );
    return { published, marked };
  }
}
