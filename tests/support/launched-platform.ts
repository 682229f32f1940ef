/**
 * The four services as an operator runs them: `npm start` (tools/standalone) as a child process,
 * against a fresh database of its own on the test PostgreSQL and the test Kafka broker, with every
 * line it writes captured. Its data directory holds every secret the run created (generated
 * secrets, demo credentials), which the security tests read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropTestDatabase, prepareTestDatabase } from '../../tools/testing/test-database';
import { REPOSITORY_ROOT, SERVICES, STANDALONE_LAUNCHER, servicePortEnvironment, servicePorts, startStandalone } from './standalone-process';
import type { ServiceName } from './standalone-process';

export { SERVICES, freePort } from './standalone-process';
export type { ServiceName } from './standalone-process';

export interface LaunchedPlatform {
  urls: Record<ServiceName, string>;
  dataDir: string;
  databaseUrl: string;
  /** .data/demo/credentials.json of this run. */
  credentials: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<number | null>;
}

export async function launchPlatform(options: { logLevel?: string; env?: Record<string, string> } = {}): Promise<LaunchedPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-platform-'));
  const database = await prepareTestDatabase();
  const ports = await servicePorts();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NPI_DATA_DIR: dataDir,
    LOG_LEVEL: options.logLevel ?? 'info',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    ...servicePortEnvironment(ports),
    ...options.env,
  };
  const launched = await startStandalone(process.execPath, [STANDALONE_LAUNCHER], { cwd: REPOSITORY_ROOT, env });
  const credentials = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo', 'credentials.json'), 'utf8'));
  let stopped: Promise<number | null> | undefined;
  return {
    urls: Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>,
    dataDir,
    databaseUrl: database.url,
    credentials,
    output: launched.output,
    stop: () =>
      (stopped ??= (async () => {
        const code = await launched.stop();
        if (database.owned) await dropTestDatabase(database.url);
        fs.rmSync(dataDir, { recursive: true, force: true });
        return code;
      })()),
  };
}

/** Reads a file of the run's data directory (secrets/, demo/). */
export function dataFile(platform: LaunchedPlatform, ...parts: string[]): string {
  return fs.readFileSync(path.join(platform.dataDir, ...parts), 'utf8').trim();
}
