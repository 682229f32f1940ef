import { Client } from 'pg';
import type { ServiceSchema } from './service-schema';
import { outboxChannel } from './service-schema';

/** Tells a relay that a transaction which wrote outbox rows of its schema has committed. */
export interface OutboxWakeups {
  /** Resolves once listening; the returned function stops it. */
  subscribe(schema: ServiceSchema, onWake: () => void): Promise<() => Promise<void>>;
}

/**
 * PostgreSQL LISTEN on a dedicated connection (one per relay). The NOTIFY comes from the outbox
 * trigger when the writer commits, so every replica's relay wakes, not only the writer's. If the
 * connection drops the relay keeps its slow poll and this reconnects after a pause.
 */
export class PgNotifyWakeups implements OutboxWakeups {
  constructor(
    private readonly databaseUrl: string,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly reconnectMs = 1_000,
  ) {}

  async subscribe(schema: ServiceSchema, onWake: () => void): Promise<() => Promise<void>> {
    let client: Client | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      const next = new Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000 });
      next.on('notification', () => onWake());
      next.on('error', (error) => {
        this.onError(error);
        if (client === next) client = undefined;
        void next.end().catch(() => undefined);
        reconnect();
      });
      await next.connect();
      await next.query(`LISTEN ${outboxChannel(schema)}`);
      if (stopped) {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      onWake(); // anything committed while not listening
    };
    const reconnect = () => {
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        connect().catch((error: unknown) => {
          this.onError(error);
          reconnect();
        });
      }, this.reconnectMs);
      retry.unref();
    };
    await connect();
    return async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = undefined;
    };
  }
}

/** In-process wake-ups (standalone mode: the embedded database reports its own NOTIFYs). */
export class LocalOutboxWakeups implements OutboxWakeups {
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Called with the channel name of each NOTIFY the embedded database delivered. */
  notify(channel: string): void {
    for (const listener of this.listeners.get(channel) ?? []) listener();
  }

  async subscribe(schema: ServiceSchema, onWake: () => void): Promise<() => Promise<void>> {
    const channel = outboxChannel(schema);
    const set = this.listeners.get(channel) ?? new Set();
    set.add(onWake);
    this.listeners.set(channel, set);
    return async () => {
      set.delete(onWake);
    };
  }
}
