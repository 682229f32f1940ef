/**
 * The four services as an operator runs them: `npm start` (tools/standalone) as a child process,
 * against a fresh database of its own on the test PostgreSQL and the test Kafka broker, with every
 * line it writes captured. Its data directory holds every secret the run created (generated
 * secrets, demo credentials), which the security tests read.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { dropTestDatabase, prepareTestDatabase } from '../../tools/testing/test-database';

export const SERVICES = ['auth-service', 'session-service', 'payment-service', 'hcx-gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

const root = path.resolve(__dirname, '..', '..');
const PORT_VARIABLES: Record<ServiceName, string> = {
  'auth-service': 'AUTH_SERVICE_PORT',
  'session-service': 'SESSION_SERVICE_PORT',
  'payment-service': 'PAYMENT_SERVICE_PORT',
  'hcx-gateway': 'HCX_GATEWAY_PORT',
};

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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function launchPlatform(options: { logLevel?: string; env?: Record<string, string> } = {}): Promise<LaunchedPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-platform-'));
  const database = await prepareTestDatabase();
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (name) => [name, await freePort()] as const))) as Record<ServiceName, number>;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NPI_DATA_DIR: dataDir,
    LOG_LEVEL: options.logLevel ?? 'info',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    ...Object.fromEntries(SERVICES.map((name) => [PORT_VARIABLES[name], String(ports[name])])),
    ...options.env,
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'tools', 'standalone', 'start.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  while (!output.includes('is running (standalone mode)')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not come up (exit ${child.exitCode}):\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const credentials = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo', 'credentials.json'), 'utf8'));
  let stopped: Promise<number | null> | undefined;
  return {
    urls: Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>,
    dataDir,
    databaseUrl: database.url,
    credentials,
    output: () => output,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null) child.kill('SIGINT');
        const code = await exited;
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
