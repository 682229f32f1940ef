/**
 * The one load client of the benches (autocannon) and the two ceilings every endpoint is compared
 * with, measured in the same run with the same client and concurrency:
 * - HTTP ceiling: a bare node:http server that reads the body and answers a small JSON;
 * - one-commit ceiling: the same server whose handler runs one autocommit single-row UPDATE
 *   through `pg` on the database the services use.
 * Ceilings and services under test each run in their own process (`*Process` below and
 * bench/lib/service-process.ts); autocannon alone runs in the bench process.
 */
import { randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { addCpu, cpuPerRequest, cpuSince, cpuSnapshot } from './cpu';
import type { CpuSnapshot } from './cpu';
import { startServiceProcess } from './service-process';
import type { ServiceProcess } from './service-process';

export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fixed body, or one built per request (unique ids). */
  body?: string | (() => string);
  /**
   * autocannon's request sequence, for requests that depend on the previous answer of the same
   * connection (a rotating refresh token): `setupRequest(request, context)` / `onResponse(status,
   * body, context)`, where `context` is per connection. Takes precedence over `body`.
   */
  requests?: autocannon.Request[];
  /** Called when the run ends (e.g. to take back what connections held). */
  after?: () => void;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** CPU seconds by process role over the measurement (bench/lib/cpu.ts); set by `interleave`. */
  cpu?: CpuSnapshot;
}

/** A result's CPU per answered (2xx) request, by role, as report figures. */
export function cpuFigures(result: LoadResult): Record<string, number> {
  return cpuPerRequest(result.cpu, Math.round(result.rps * result.seconds));
}

/** Runs autocannon against one target for `seconds` with `connections` concurrent connections. */
export async function runLoad(target: LoadTarget, { connections, seconds }: { connections: number; seconds: number }): Promise<LoadResult> {
  const { body } = target;
  const result = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    connections,
    duration: seconds,
    ...(target.requests
      ? { requests: target.requests }
      : typeof body === 'function'
        ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: body() }) }] }
        : body !== undefined
          ? { body }
          : {}),
  });
  target.after?.();
  const completed = result.requests.total;
  const ok = result['2xx'];
  return {
    requests: completed,
    seconds: result.duration,
    rps: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export interface Contender {
  name: string;
  target?: () => LoadTarget;
  /** A contender that is not an HTTP target (a raw crypto ceiling): runs for `seconds`, returns its rate. */
  run?: (seconds: number) => Promise<LoadResult>;
}

/**
 * Measures contenders in interleaved slices (A B C A B C ...) so a neighbour's load on the shared
 * machine lands on all of them alike; each total is requests answered 2xx over total time.
 */
export async function interleave(contenders: readonly Contender[], { slices, sliceSeconds, connections }: { slices: number; sliceSeconds: number; connections: number }): Promise<Map<string, LoadResult>> {
  const totals = new Map<string, LoadResult[]>();
  for (let slice = 0; slice < slices; slice += 1) {
    for (const contender of contenders) {
      const before = cpuSnapshot();
      const result = contender.run ? await contender.run(sliceSeconds) : await runLoad((contender.target as () => LoadTarget)(), { connections, seconds: sliceSeconds });
      result.cpu = cpuSince(before);
      totals.set(contender.name, [...(totals.get(contender.name) ?? []), result]);
    }
  }
  const merged = new Map<string, LoadResult>();
  for (const [name, results] of totals) {
    const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
    const ok = results.reduce((sum, r) => sum + r.rps * r.seconds, 0);
    const sorted = (key: 'p50Ms' | 'p99Ms') => results.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
    merged.set(name, {
      requests: results.reduce((sum, r) => sum + r.requests, 0),
      seconds,
      rps: ok / seconds,
      p50Ms: sorted('p50Ms'),
      p99Ms: sorted('p99Ms'),
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      cpu: results.reduce<CpuSnapshot | undefined>((sum, r) => (r.cpu ? (sum ? addCpu(sum, r.cpu) : r.cpu) : sum), undefined),
    });
  }
  return merged;
}

export interface Ceiling {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The HTTP ceiling: read the body, answer 200 with a small JSON. */
export async function startHttpCeiling(): Promise<Ceiling> {
  const { server, url } = await listen((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const CEILING_ROWS = 1024;

/**
 * The one-commit ceiling: each request runs `UPDATE ... WHERE id = $1` (autocommit, one row out of
 * 1024 picked at random, so rows do not contend) on the given database through a `pg` pool of
 * `poolSize` (the services' pool size), then answers like the HTTP ceiling.
 */
export async function startCommitCeiling(databaseUrl: string, poolSize: number): Promise<Ceiling> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  await pool.query('CREATE TABLE IF NOT EXISTS public.bench_ceiling (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)');
  await pool.query('INSERT INTO public.bench_ceiling (id) SELECT g FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING', [CEILING_ROWS]);
  const { server, url } = await listen((request, response) => {
    request.resume();
    request.on('end', () => {
      pool.query('UPDATE public.bench_ceiling SET n = n + 1 WHERE id = $1', [randomInt(1, CEILING_ROWS + 1)]).then(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
        () => response.writeHead(500).end(),
      );
    });
  });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

/** The HTTP ceiling in its own process. */
export function startHttpCeilingProcess(): Promise<ServiceProcess> {
  return startServiceProcess('ceilings', { kind: 'http' });
}

/** The one-commit ceiling in its own process, on `databaseUrl` with a pool of `poolSize`. */
export function startCommitCeilingProcess(databaseUrl: string, poolSize: number): Promise<ServiceProcess> {
  return startServiceProcess('ceilings', { kind: 'commit', databaseUrl, poolSize });
}

/** `os.loadavg()` as "1m 5m 15m", for every figure a bench reports. */
export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}
