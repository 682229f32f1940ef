/**
 * Service start-up for bench suites, in one place: a migrated bench database on the local
 * PostgreSQL (distributed mode, with the real Kafka broker of the test harness) or an embedded
 * PGlite with the in-process broker (standalone mode).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { ZodTypeAny } from 'zod';
import { loadConfig } from '@npi/config';
import { startEmbeddedPostgres } from '@npi/database';
import type { EmbeddedPostgres } from '@npi/database';
import { ALL_TOPICS } from '@npi/kafka-contracts';
import { InProcessBroker } from '@npi/messaging';
import type { MessageBroker } from '@npi/messaging';
import { startService } from '@npi/service-runtime';
import type { RunningService, RuntimeConfig, ServiceDefinition } from '@npi/service-runtime';
import { applyMigrations } from '../../tools/db/migrate';
import { ensureKafka } from '../../tools/testing/kafka-harness';

export type BenchMode = 'distributed' | 'standalone';

/**
 * Per-minute rate limits as the benches configure them (auth-service AUTH_RATE_LIMIT_PER_MINUTE,
 * product default 600 per client and per source address; session-service SESSION_LAUNCH_LIMIT_*):
 * above their offered load, since one load client from one address is not the abuse the limits
 * are for. The limits themselves stay product configuration.
 */
export const BENCH_RATE_LIMIT_PER_MINUTE = '100000000';

/**
 * Creates (if needed) and migrates `npi_bench_<name><BENCH_DATABASE_SUFFIX>` on the local PostgreSQL
 * (or BENCH_DATABASE_URL's server); the suffix keeps concurrent bench runs on one server apart.
 */
export async function benchDatabase(name: string): Promise<string> {
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/npi_bench_${`${name}${process.env.BENCH_DATABASE_SUFFIX ?? ''}`.replace(/[^a-z0-9_]/gi, '_')}`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [url.pathname.slice(1)]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${url.pathname.slice(1)}"`);
  } finally {
    await client.end();
  }
  await applyMigrations({ databaseUrl: url.toString(), log: () => undefined });
  // A bench database outlives its runs; without autovacuum (a test server often has it off) the
  // dead rows of earlier runs (outbox rows marked published, updated api calls) stay in the tables
  // and indexes and slow every later run, so each run starts vacuumed.
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query('VACUUM (ANALYZE)');
  } finally {
    await db.end();
  }
  return url.toString();
}

/** The database and broker one mode runs on; `stop` releases what it started. */
export interface BenchPlatform {
  mode: BenchMode;
  databaseUrl: string;
  /** Shared broker (standalone) or undefined: each service makes its own Kafka client. */
  broker?: MessageBroker;
  kafkaBrokers?: string;
  embedded?: EmbeddedPostgres;
  stop(): Promise<void>;
}

export async function startPlatform(mode: BenchMode, name: string): Promise<BenchPlatform> {
  if (mode === 'distributed') {
    const kafka = await ensureKafka();
    return { mode, databaseUrl: await benchDatabase(name), kafkaBrokers: kafka.brokers, stop: async () => undefined };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `npi-bench-pglite-${name}-`));
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  await applyMigrations({ databaseUrl: embedded.url, log: () => undefined });
  const broker = new InProcessBroker();
  await broker.ensureTopics(ALL_TOPICS);
  return {
    mode,
    databaseUrl: embedded.url,
    broker,
    embedded,
    stop: async () => {
      await broker.close();
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts one service on an ephemeral port with silent logs, on the platform's database and broker. */
export async function startBenchService<Config extends RuntimeConfig>(
  definition: ServiceDefinition<Config>,
  configSchema: ZodTypeAny,
  platform: BenchPlatform,
  env: Record<string, string>,
): Promise<RunningService<Config>> {
  const config = loadConfig(definition.name, configSchema, {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    DATABASE_URL: platform.databaseUrl,
    DATABASE_POOL_SIZE: platform.mode === 'standalone' ? '3' : '10',
    // As deployed (deploy/base/common.yaml); the embedded PGlite is one session, where names collide.
    DATABASE_PREPARED_STATEMENTS: platform.mode === 'distributed' ? 'true' : 'false',
    BROKER: platform.mode === 'standalone' ? 'inprocess' : 'kafka',
    ...(platform.kafkaBrokers ? { KAFKA_BROKERS: platform.kafkaBrokers } : {}),
    ...env,
  }) as unknown as Config;
  return startService(definition as unknown as ServiceDefinition<Config>, config as never, {
    port: 0,
    broker: platform.broker,
    outboxWakeups: platform.embedded?.outboxWakeups,
  }) as unknown as RunningService<Config>;
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
