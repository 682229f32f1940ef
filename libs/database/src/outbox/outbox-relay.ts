import type { MessageBroker } from '@npi/messaging';
import type { PrismaClient } from '../prisma-client';

export type ServiceSchema = 'auth' | 'session' | 'payment' | 'hcx';
const SCHEMAS: readonly ServiceSchema[] = ['auth', 'session', 'payment', 'hcx'];

export interface OutboxRelayOptions {
  prisma: PrismaClient;
  schema: ServiceSchema;
  broker: MessageBroker;
  batchSize?: number;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

interface PendingRow {
  id: string;
  topic: string;
  key: string | null;
  payload: unknown;
  headers: Record<string, string> | null;
}

/**
 * Publishes a service's outbox rows in commit order. Rows are claimed with FOR UPDATE SKIP LOCKED,
 * so any number of replicas can relay the same outbox without publishing a row twice at once; a
 * row is marked published only after the broker acked it (at-least-once: consumers dedupe by id).
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private readonly table: string;

  constructor(private readonly options: OutboxRelayOptions) {
    if (!SCHEMAS.includes(options.schema)) throw new Error(`unknown schema ${options.schema}`);
    this.table = `"${options.schema}"."outbox_event"`;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Wake the relay now (after a commit that wrote outbox rows) instead of waiting for the poll. */
  nudge(): void {
    if (!this.stopped) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Publishes everything pending now; returns how many rows were published. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
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
    this.running = this.flush();
    try {
      await this.running;
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.running = undefined;
      if (!this.stopped) this.schedule(this.options.pollIntervalMs ?? 250);
    }
  }

  private async publishBatch(): Promise<number> {
    const { prisma, broker } = this.options;
    const batchSize = this.options.batchSize ?? 100;
    return prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRawUnsafe<PendingRow[]>(
          `SELECT id::text AS id, topic, key, payload, headers FROM ${this.table}
           WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          batchSize,
        );
        if (rows.length === 0) return 0;
        // Per topic, in order: one send per topic keeps per-key order and awaits the acks.
        const byTopic = new Map<string, PendingRow[]>();
        for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
        for (const [topic, topicRows] of byTopic) {
          await broker.publish(
            topic,
            topicRows.map((row) => ({ key: row.key ?? undefined, value: JSON.stringify(row.payload), headers: row.headers ?? {} })),
          );
        }
        await tx.$executeRawUnsafe(
          `UPDATE ${this.table} SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`,
          rows.map((row) => row.id),
        );
        return rows.length;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  }
}
