import fs from 'node:fs';
import { stopKafka } from './kafka-harness';
import { dropTestDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  // Registered by both the integration and e2e projects: clean up once.
  if (process.env.__NPI_TEST_ENV_READY !== '1') return;
  process.env.__NPI_TEST_ENV_READY = 'done';
  if (process.env.__NPI_TEST_DATABASE_OWNED === '1' && process.env.DATABASE_URL) await dropTestDatabase(process.env.DATABASE_URL);
  if (process.env.__NPI_TEST_ENV_FILE) fs.rmSync(process.env.__NPI_TEST_ENV_FILE, { force: true });
  // In CI the broker this run started is stopped; on a developer machine it stays up for the next
  // run (5-8 s saved each time) unless KAFKA_TEST_STOP=1. `npm run kafka:stop:test` stops it.
  if (process.env.CI === 'true' || process.env.KAFKA_TEST_STOP === '1') await stopKafka();
}
