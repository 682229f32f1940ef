/**
 * The integration tiers use a database of their own on the local PostgreSQL (127.0.0.1:5432, or
 * the server named by DATABASE_URL): a fresh one per run (`npi_test_<random>`), migrated from
 * scratch exactly as a new deployment is, and dropped at the end. Separate runs never disturb each
 * other. With TEST_DATABASE_URL set, that database is migrated and used as is (and kept).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from '../db/migrate';

const DEFAULT_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function prepareTestDatabase(): Promise<{ url: string; owned: boolean }> {
  if (process.env.TEST_DATABASE_URL) {
    await applyMigrations({ databaseUrl: process.env.TEST_DATABASE_URL, log: () => undefined });
    return { url: process.env.TEST_DATABASE_URL, owned: false };
  }
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_SERVER_URL);
  const databaseName = `npi_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(url, (client) => client.query(`CREATE DATABASE "${databaseName}"`));
  url.pathname = `/${databaseName}`;
  await applyMigrations({ databaseUrl: url.toString(), log: () => undefined });
  return { url: url.toString(), owned: true };
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const databaseName = url.pathname.slice(1);
  if (!/^npi_test_[0-9a-f]{12}$/.test(databaseName)) return;
  await withAdmin(url, (client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
}

async function withAdmin(url: URL, work: (client: Client) => Promise<unknown>): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
