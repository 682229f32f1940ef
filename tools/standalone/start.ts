/**
 * Standalone mode (`npm start`): all four services in one process on their own ports, sharing an
 * embedded PostgreSQL (PGlite, persisted in .data/pglite) and the in-process broker. With
 * DATABASE_URL and KAFKA_BROKERS set, the same command runs against those instead.
 *
 * First start: migrations, strong secrets and keys generated into .data/secrets (0600), demo
 * partners for each seed written to .data/demo/credentials.json, and a summary printed.
 * Ctrl-C (or SIGTERM) stops everything cleanly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@npi/config';
import { isDatabaseUnavailable, startEmbeddedPostgres } from '@npi/database';
import type { EmbeddedPostgres } from '@npi/database';
import { ALL_TOPICS } from '@npi/kafka-contracts';
import { InProcessBroker, KafkaBroker } from '@npi/messaging';
import type { MessageBroker } from '@npi/messaging';
import { createLogger } from '@npi/observability';
import { startService } from '@npi/service-runtime';
import type { RunningService, ServiceDefinition } from '@npi/service-runtime';
import { applyMigrations } from '../db/migrate';
import { withoutSecrets } from './console-summary';
import { STANDALONE_SERVICES } from './services';
import type { StandaloneService } from './services';

const root = path.resolve(__dirname, '..', '..');
const dataDir = path.resolve(process.env.NPI_DATA_DIR ?? path.join(root, '.data'));
const demoDir = path.join(dataDir, 'demo');
const log = createLogger('standalone', (process.env.LOG_LEVEL as 'info') ?? 'info');

async function main(): Promise<void> {
  fs.mkdirSync(demoDir, { recursive: true });
  const distributed = Boolean(process.env.DATABASE_URL && process.env.KAFKA_BROKERS);
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(process.env.STANDALONE_DB_PORT ?? 54329);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pglite'), port });
    databaseUrl = embedded.url;
    log.info({ port }, 'embedded PostgreSQL (PGlite) started');
  }
  await applyMigrations({ databaseUrl, log: (line) => log.info(line) });

  const kafkaBrokers = process.env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  const broker: MessageBroker = distributed
    ? new KafkaBroker({
        brokers: kafkaBrokers,
        clientId: 'npi-standalone',
        log: (level, message, extra) => log[level]({ ...extra, stack: undefined }, message),
        // As startService's own broker: a message read while the database is away (or its pool is
        // exhausted) is retried until it is back, never dead-lettered.
        isTransient: isDatabaseUnavailable,
      })
    : new InProcessBroker({ onError: (error, context) => log.warn({ err: error, context }, 'in-process delivery failed; retrying') });
  await broker.ensureTopics(ALL_TOPICS);

  const running: { service: StandaloneService; instance: RunningService }[] = [];
  const stopAll = async () => {
    for (const { instance } of [...running].reverse()) await instance.stop().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
    await broker.close();
    await embedded?.stop();
  };
  let stoppingSince: number | undefined;
  const onSignal = (signal: string) => {
    // Ctrl-C reaches this process twice under `npm start` (the terminal's process group, then npm
    // forwarding it): repeats are ignored; one given a few seconds later forces the exit.
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince > 3_000) process.exit(130);
      return;
    }
    stoppingSince = Date.now();
    log.info({ signal }, 'stopping all services');
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    const ports = Object.fromEntries(STANDALONE_SERVICES.map((s) => [s.name, Number(process.env[s.portVariable] ?? s.defaultPort)]));
    const urls = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, `http://127.0.0.1:${port}`]));
    for (const service of STANDALONE_SERVICES) {
      const definition = service.definition as ServiceDefinition;
      const env = {
        NODE_ENV: 'development',
        HOST: process.env.HOST ?? '127.0.0.1',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: distributed ? '10' : '3',
        BROKER: distributed ? 'kafka' : 'inprocess',
        KAFKA_BROKERS: kafkaBrokers.join(','),
        PORT: String(ports[service.name]),
        ...service.crossServiceEnvironment(urls),
        ...(service.standaloneEnvironment?.(dataDir) ?? {}),
      };
      const config = loadConfig(definition.name, definition.configSchema, env);
      const instance = await startService(definition, config, { broker, logger: createLogger(definition.name, config.LOG_LEVEL), outboxWakeups: embedded?.outboxWakeups });
      running.push({ service, instance });
    }

    const credentials: Record<string, unknown> = {};
    for (const { service, instance } of running) {
      if (!service.seedDemo) continue;
      credentials[service.name] = await service.seedDemo(instance, { demoDir, shared: credentials });
    }
    const credentialsFile = path.join(demoDir, 'credentials.json');
    fs.writeFileSync(credentialsFile, `${JSON.stringify({ generatedAt: new Date().toISOString(), services: urls, ...credentials }, null, 2)}\n`, { mode: 0o600 });
    printSummary(urls, credentialsFile, credentials);
  } catch (error) {
    log.fatal({ err: error }, 'standalone start failed');
    await stopAll();
    process.exit(1);
  }
}

function printSummary(urls: Record<string, string>, credentialsFile: string, credentials: Record<string, unknown>): void {
  const shownFile = path.relative(process.cwd(), credentialsFile);
  const lines = [
    '',
    'NPI security platform is running (standalone mode). Ctrl-C stops it.',
    '',
    ...Object.entries(urls).map(([name, url]) => `  ${name.padEnd(16)} ${url}   (OpenAPI: ${url}/docs, health: ${url}/health/ready)`),
    '',
    `Demo partners, keys and example calls: ${shownFile} (mode 0600; secrets are there, never on the console)`,
    'Try it as a partner: npx npi-partner --help (docs/guides/ has a walk-through per specification)',
  ];
  for (const [name, section] of Object.entries(credentials)) {
    const examples = (section as { examples?: string[] } | null)?.examples;
    if (!examples?.length) continue;
    lines.push('', `${name}:`, ...examples.map((example) => `  ${example}`));
  }
  process.stdout.write(`${withoutSecrets(lines.join('\n'), credentials, shownFile)}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
