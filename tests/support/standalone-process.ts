/**
 * `npm start` (tools/standalone, or `npm start` itself in a fresh clone) as a child process of a
 * test: free ports for the four services, the launch that waits for the launcher's "running" line,
 * and the stop that a Ctrl-C would be. Every line the process writes is kept for error messages.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@npi/testing';

export { freePort };

export const SERVICES = ['auth-service', 'session-service', 'payment-service', 'hcx-gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The repository this test runs from. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
/** The launcher `npm start` runs. */
export const STANDALONE_LAUNCHER = path.join(REPOSITORY_ROOT, 'tools', 'standalone', 'start.js');

const PORT_VARIABLES: Record<ServiceName, string> = {
  'auth-service': 'AUTH_SERVICE_PORT',
  'session-service': 'SESSION_SERVICE_PORT',
  'payment-service': 'PAYMENT_SERVICE_PORT',
  'hcx-gateway': 'HCX_GATEWAY_PORT',
};

/** What the launcher prints once all four services answer. */
const RUNNING_LINE = 'is running (standalone mode)';

/** A free port per service. */
export async function servicePorts(): Promise<Record<ServiceName, number>> {
  const ports: Partial<Record<ServiceName, number>> = {};
  for (const name of SERVICES) ports[name] = await freePort();
  return ports as Record<ServiceName, number>;
}

/** `AUTH_SERVICE_PORT=...` and the others: the launcher's port settings for `ports`. */
export function servicePortEnvironment(ports: Record<ServiceName, number>): Record<string, string> {
  return Object.fromEntries(SERVICES.map((name) => [PORT_VARIABLES[name], String(ports[name])]));
}

export interface StandaloneProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Ctrl-C (SIGINT; to the whole process group when started `detached`), then its exit code. Repeated calls share one stop. */
  stop(): Promise<number | null>;
}

/**
 * Starts `command args` and resolves once it prints the launcher's running line. If it exits first
 * or does not come up within `timeoutMs`, it is killed (with its process group when detached) and
 * the error carries the end of its output.
 */
export async function startStandalone(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean; timeoutMs?: number },
): Promise<StandaloneProcess> {
  const spawnOptions: SpawnOptions = { cwd: options.cwd, env: options.env, detached: options.detached === true, stdio: ['ignore', 'pipe', 'pipe'] };
  const child = spawn(command, args, spawnOptions);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    try {
      if (options.detached) process.kill(-child.pid, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  const timeoutMs = options.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(RUNNING_LINE)) {
    const problem = child.exitCode !== null ? `exited with ${child.exitCode}` : Date.now() > deadline ? `did not come up within ${timeoutMs / 1000} s` : undefined;
    if (problem) {
      signal('SIGKILL');
      throw new Error(`${[command, ...args].map((part) => path.basename(part)).join(' ')} ${problem}:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  let stopped: Promise<number | null> | undefined;
  return {
    child,
    output: () => output,
    stop: () =>
      (stopped ??= (async () => {
        signal('SIGINT');
        return exited;
      })()),
  };
}
