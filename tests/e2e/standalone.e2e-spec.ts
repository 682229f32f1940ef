/**
 * `npm start` as a newcomer runs it: all four services come up, every /health/ready answers 200,
 * .data/demo/credentials.json is written, and Ctrl-C stops everything cleanly. Once with the
 * embedded database and in-process broker, once against the real PostgreSQL and Kafka.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPOSITORY_ROOT, STANDALONE_LAUNCHER, freePort, servicePortEnvironment, servicePorts, startStandalone } from '../support/standalone-process';
import type { ServiceName, StandaloneProcess } from '../support/standalone-process';

jest.setTimeout(240_000);

interface Launched extends StandaloneProcess {
  ports: Record<ServiceName, number>;
  dataDir: string;
}

async function launch(mode: 'embedded' | 'distributed'): Promise<Launched> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `npi-standalone-${mode}-`));
  const ports = await servicePorts();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NPI_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...servicePortEnvironment(ports),
    STANDALONE_DB_PORT: String(await freePort()),
    ...(mode === 'distributed' ? { DATABASE_URL: process.env.DATABASE_URL, KAFKA_BROKERS: process.env.KAFKA_BROKERS } : {}),
  };
  return { ...(await startStandalone(process.execPath, [STANDALONE_LAUNCHER], { cwd: REPOSITORY_ROOT, env })), ports, dataDir };
}

/** Values of the credentials file's secret fields (client secrets, passwords, passphrases, tokens). */
function secretValuesOf(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return /secret|password|passphrase/i.test(key) && !/(file|path|url)$/i.test(key) && value.length >= 8 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => secretValuesOf(item, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => secretValuesOf(v, k));
  return [];
}

describe.each(['embedded', 'distributed'] as const)('npm start (%s)', (mode) => {
  let launched: Launched | undefined;
  afterAll(async () => {
    if (launched) {
      await launched.stop();
      fs.rmSync(launched.dataDir, { recursive: true, force: true });
    }
  });

  it('brings all four services up with demo credentials, then stops cleanly on Ctrl-C', async () => {
    launched = await launch(mode);
    for (const [name, port] of Object.entries(launched.ports)) {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, details: { broker: { status: 'up', affectsReadiness: false } } });
    }
    const credentialsFile = path.join(launched.dataDir, 'demo', 'credentials.json');
    expect(fs.existsSync(credentialsFile)).toBe(true);
    const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as { services: Record<string, string> };
    expect(Object.keys(credentials.services).sort()).toEqual(['auth-service', 'hcx-gateway', 'payment-service', 'session-service']);
    expect(fs.statSync(credentialsFile).mode & 0o077).toBe(0);
    // The console shows where the secrets are, never a secret itself.
    const secrets = secretValuesOf(credentials);
    expect(secrets.length).toBeGreaterThan(0);
    expect(secrets.filter((secret) => launched!.output().includes(secret))).toEqual([]);
    expect(launched.output()).toContain('credentials.json');
    expect(await launched.stop()).toBe(0);
    for (const port of Object.values(launched.ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    }
  });
});
