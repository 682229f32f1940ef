/**
 * The integration tiers use a database of their own on the local PostgreSQL (127.0.0.1:5432, or
 * DATABASE_URL): dropped, recreated and migrated once per run, so every run starts from the
 * migrations exactly as a new deployment does.
 */
import { Client } from 'pg';
import { applyMigrations } from '../db/migrate';

const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/npi_test';

export async function prepareTestDatabase(): Promise<string> {
  const provided = process.env.DATABASE_URL;
  const url = new URL(provided ?? DEFAULT_TEST_DATABASE_URL);
  if (!provided) {
    const databaseName = url.pathname.slice(1);
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${databaseName}"`);
    } finally {
      await client.end();
    }
  }
  await applyMigrations({ databaseUrl: url.toString(), log: () => undefined });
  return url.toString();
}
