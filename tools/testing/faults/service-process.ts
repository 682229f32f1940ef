/**
 * A service started as an operator starts it (its main.ts as its own process), so a fault test can
 * SIGKILL or SIGTERM it. Output goes to a log file; the exit code is kept.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  readonly url: string;

  constructor(
    readonly app: string,
    readonly port: number,
    private readonly env: Record<string, string | undefined>,
    private readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Starts the process and waits until /health/ready answers 200. */
  async start(readyTimeoutMs = 90_000): Promise<void> {
    const log = fs.openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['-r', './tools/ts-register.js', `apps/${this.app}/src/main.ts`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' } as NodeJS.ProcessEnv,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${this.app} exited with ${child.exitCode} during start; see ${this.logFile}`);
      if ((await this.readiness()) === 200) return;
      if (Date.now() > deadline) throw new Error(`${this.app} not ready within ${readyTimeoutMs} ms; see ${this.logFile}`);
      await sleep(200);
    }
  }

  /** HTTP status of /health/ready, or 0 when nothing answers. */
  async readiness(): Promise<number> {
    try {
      const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(3_000) });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Resolves with the exit code (null when killed by a signal). */
  async exit(timeoutMs = 60_000): Promise<number | null> {
    if (!this.exited) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${this.app} did not exit within ${timeoutMs} ms`)), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.kill('SIGTERM');
    await this.exit().catch(() => this.kill('SIGKILL'));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
