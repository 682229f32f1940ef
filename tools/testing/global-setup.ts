/**
 * Jest global setup for the integration and e2e tiers: a fresh, migrated PostgreSQL database of
 * this run's own and a real Kafka broker (started from Maven Central jars by tools/kafka unless
 * KAFKA_BROKERS is set). Settings reach the test workers through process.env and tmp/test-env.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureKafka } from './kafka-harness';
import { prepareTestDatabase } from './test-database';

export const TEST_ENV_FILE = path.join(__dirname, '..', '..', 'tmp', `test-env-${process.pid}.json`);

export default async function globalSetup(): Promise<void> {
  // Both the integration and the e2e project register this; prepare once per jest run.
  if (process.env.__NPI_TEST_ENV_READY === '1') return;
  const database = await prepareTestDatabase();
  const kafka = await ensureKafka();
  const env = { DATABASE_URL: database.url, KAFKA_BROKERS: kafka.brokers };
  fs.mkdirSync(path.dirname(TEST_ENV_FILE), { recursive: true });
  fs.writeFileSync(TEST_ENV_FILE, JSON.stringify(env));
  Object.assign(process.env, env, {
    __NPI_TEST_ENV_READY: '1',
    __NPI_TEST_ENV_FILE: TEST_ENV_FILE,
    __NPI_TEST_DATABASE_OWNED: database.owned ? '1' : '0',
  });
}
