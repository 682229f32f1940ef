/**
 * Writes each service's OpenAPI document to docs/openapi/<service>.json (what partners' integration
 * teams read without running anything). `--check` regenerates in memory and fails if a committed
 * document is stale; `npm run check` runs it.
 *
 * Apps are built without listening or connecting: the in-process broker, a Prisma client that never
 * connects, and the secrets their standalone hooks generate into a temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@npi/config';
import { OutboxRelay, createPrismaClient } from '@npi/database';
import { InProcessBroker } from '@npi/messaging';
import { createLogger } from '@npi/observability';
import { buildOpenApiDocument, createServiceApp, systemClock } from '@npi/service-runtime';
import type { ServiceDefinition, ServiceDependencies } from '@npi/service-runtime';
import { STANDALONE_SERVICES } from '../standalone/services';

const outputDir = path.join(__dirname, '..', '..', 'docs', 'openapi');

async function documentFor(service: (typeof STANDALONE_SERVICES)[number], secretsDir: string): Promise<string> {
  const definition = service.definition as ServiceDefinition;
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgresql://openapi@127.0.0.1:1/never-connected',
    BROKER: 'inprocess',
    PORT: String(service.defaultPort),
    ...service.crossServiceEnvironment(Object.fromEntries(STANDALONE_SERVICES.map((s) => [s.name, `http://127.0.0.1:${s.defaultPort}`]))),
    ...(service.standaloneEnvironment?.(secretsDir) ?? {}),
  };
  const config = loadConfig(definition.name, definition.configSchema, env);
  const prisma = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
  const broker = new InProcessBroker();
  const deps: ServiceDependencies = { config, prisma, broker, clock: systemClock, logger: createLogger(definition.name, 'silent'), outbox: new OutboxRelay({ prisma, schema: definition.schema, broker }) };
  const app = await createServiceApp(definition, deps);
  const document = buildOpenApiDocument(app, definition, [{ url: `http://127.0.0.1:${service.defaultPort}`, description: 'standalone (npm start)' }]);
  await app.close();
  await broker.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-openapi-'));
  const stale: string[] = [];
  try {
    fs.mkdirSync(outputDir, { recursive: true });
    for (const service of STANDALONE_SERVICES) {
      const file = path.join(outputDir, `${service.name}.json`);
      const document = await documentFor(service, secretsDir);
      if (check) {
        if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== document) stale.push(path.relative(process.cwd(), file));
      } else {
        fs.writeFileSync(file, document);
        process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
      }
    }
  } finally {
    fs.rmSync(secretsDir, { recursive: true, force: true });
  }
  if (stale.length > 0) {
    process.stderr.write(`stale generated files (run \`npm run openapi\` and commit):\n${stale.map((f) => `  ${f}`).join('\n')}\n`);
    process.exit(1);
  }
  if (check) process.stdout.write('generated OpenAPI documents are up to date\n');
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
