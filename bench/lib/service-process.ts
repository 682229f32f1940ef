/**
 * Runs what a bench measures in its own Node process, so the load client (autocannon in the bench
 * process) never shares an event loop with the service under test or with a ceiling server.
 *
 * A fixture is a module under bench/fixtures exporting `start(options)`, which starts the thing
 * to measure inside the child and returns `{ url, data, api, stop }`; the parent gets `url` and
 * `data`, and can call `api` functions (set-up and inspection done inside the child, e.g. creating
 * participants through the service's own classes) over IPC.
 *
 * `BENCH_CPU_PROF=1` runs every child with `--cpu-prof` into bench/profiles/<fixture>-<time>/ (one
 * .cpuprofile per thread of the child, written when it stops), so a profile shows the service alone.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'service-child.ts');
export const PROFILE_DIR = path.join(ROOT, 'bench', 'profiles');

export interface FixtureHandle {
  url: string;
  data?: unknown;
  api?: Record<string, (...args: never[]) => unknown>;
  stop(): Promise<void>;
}

export interface ServiceProcess<Data = unknown> {
  name: string;
  url: string;
  data: Data;
  pid: number;
  /** Calls one of the fixture's `api` functions inside the child; the result comes back as JSON. */
  call<Result = unknown>(name: string, ...args: unknown[]): Promise<Result>;
  /** Profiles the child's CPU from now until `profileStop`, which writes bench/profiles/<name>.cpuprofile. */
  profileStart(): Promise<void>;
  profileStop(name: string): Promise<string>;
  /** VmRSS of the child in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

type ChildMessage =
  | { type: 'ready'; url: string; data: unknown }
  | { type: 'failed'; error: string }
  | { type: 'result'; id: number; result?: unknown; error?: string };

/** Forks bench/lib/service-child.ts, which loads `bench/fixtures/<fixture>.ts` and runs `start(options)`. */
export async function startServiceProcess<Data = unknown>(fixture: string, options: unknown = {}, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess<Data>> {
  const execArgv = ['-r', path.join(ROOT, 'tools', 'ts-register.js')];
  if (process.env.BENCH_CPU_PROF === '1') {
    // A folder per child and V8's default names (they carry the thread id): a fixed --cpu-prof-name
    // is inherited by the child's worker threads, which then overwrite the main thread's profile.
    const dir = path.join(PROFILE_DIR, `${fixture}-${Date.now()}`);
    fs.mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', '--cpu-prof-dir', dir);
  }
  const child: ChildProcess = fork(CHILD, [], { cwd: ROOT, execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const ready = new Promise<{ url: string; data: unknown }>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'failed') reject(new Error(`${fixture}: ${message.error}`));
      else if (message.type === 'result') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(`${fixture}: ${message.error}`));
        else waiter?.resolve(message.result);
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`${fixture}: child exited with ${code} before it was ready`));
      for (const waiter of pending.values()) waiter.reject(new Error(`${fixture}: child exited with ${code}`));
    });
  });
  child.send({ type: 'start', fixture: path.join(ROOT, 'bench', 'fixtures', `${fixture}.ts`), options });
  const { url, data } = await ready;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const call = <Result>(name: string, ...args: unknown[]) =>
    new Promise<Result>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ type: 'call', id, name, args });
    });
  return {
    name: fixture,
    url,
    data: data as Data,
    pid: child.pid as number,
    call,
    profileStart: () => call<void>('profileStart'),
    profileStop: (name: string) => {
      fs.mkdirSync(PROFILE_DIR, { recursive: true });
      return call<string>('profileStop', path.join(PROFILE_DIR, `${name}.cpuprofile`));
    },
    rssMb: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: async () => {
      if (child.exitCode === null) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
