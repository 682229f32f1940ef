/**
 * Jest global setup for the integration and e2e tiers: a fresh, migrated PostgreSQL database and a
 * real Kafka broker (started from Maven Central jars by tools/kafka unless KAFKA_BROKERS is set).
 * The resulting settings are written to tmp/test-env.json for the test workers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { prepareTestDatabase } from './test-database';
import { ensureKafka } from './kafka-harness';

export const TEST_ENV_FILE = path.join(__dirname, '..', '..', 'tmp', 'test-env.json');

export default async function globalSetup(): Promise<void> {
  if (fs.existsSync(TEST_ENV_FILE) && process.env.__NPI_TEST_ENV_READY === '1') return;
  const databaseUrl = await prepareTestDatabase();
  const kafka = await ensureKafka();
  const env = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafka.brokers };
  fs.mkdirSync(path.dirname(TEST_ENV_FILE), { recursive: true });
  fs.writeFileSync(TEST_ENV_FILE, JSON.stringify(env));
  Object.assign(process.env, env, { __NPI_TEST_ENV_READY: '1' });
}
