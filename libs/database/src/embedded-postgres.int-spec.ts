import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { freePort } from '@npi/testing';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * PGlite loads its WASM with a dynamic import, which jest's module sandbox does not allow: the
 * embedded database runs in a child process, as in standalone mode, and stops when told.
 */
async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<{ url: string; stop(): Promise<void> }> {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(path.join(__dirname, 'embedded-postgres'))});
    startEmbeddedPostgres(${JSON.stringify(options)}).then((pg) => {
      process.stdout.write(pg.url + '\\n');
      process.stdin.on('end', () => pg.stop().then(() => process.exit(0)));
      process.stdin.resume();
    }, (error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'tools', 'ts-register.js'), '-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    void exited.then((code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function query<Row>(url: string, sql: string): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-embedded-pg-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a fresh data directory, serves it with the small memory settings, and keeps what was written across a restart', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
      const settings = await query<{ name: string; setting: string; unit: string }>(first.url, "SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'maintenance_work_mem') ORDER BY name");
      // shared_buffers is counted in 8 kB pages, maintenance_work_mem in kB.
      expect(settings).toEqual([
        { name: 'maintenance_work_mem', setting: String(16 * 1024), unit: 'kB' },
        { name: 'shared_buffers', setting: String((16 * 1024) / 8), unit: '8kB' },
      ]);
      await query(first.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    try {
      expect(await query<{ n: number }>(second.url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
