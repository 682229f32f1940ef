/**
 * `npm run bench -- hcx-gateway`, in distributed mode (PostgreSQL + real Kafka) and standalone mode
 * (PGlite + in-process broker):
 * 1. accepted protocol requests/s (API key, x-hcx-* headers, replay guard, audit + outbox row in
 *    one statement) vs the one-commit ceiling and the HTTP ceiling, autocannon, same connections,
 *    interleaved slices, same run;
 * 2. acceptance-to-delivery latency through Kafka (standalone: the in-process broker) and the
 *    dispatcher at a fixed offered rate (client 202 → recipient server receives the POST), then the
 *    highest offered rate whose p99 stays within 100 ms (BENCH_HCX_PARTS=routing,routing-standalone).
 * The gateway never decrypts, so requests carry a JWE-shaped payload with a real protected header.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { cpuFigures, interleave, loadAverage, startCommitCeilingProcess, startHttpCeilingProcess } from '../lib/load';
import type { BenchMeasurement, BenchSuite } from '../lib/report';
import { startServiceProcess } from '../lib/service-process';
import type { ServiceProcess } from '../lib/service-process';
import type { BenchMode } from '../lib/services';

const CONNECTIONS = 32;
const SLICES = Number(process.env.BENCH_SLICES ?? 3);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 3);
/** The routing row's offered rate (BENCH_ROUTING_RATE compares versions below the saturation of a loaded machine). */
const RATE = Number(process.env.BENCH_ROUTING_RATE ?? 200);
const ROUTING_SECONDS = Number(process.env.BENCH_ROUTING_SECONDS ?? 30);
const STEP_SECONDS = 10;
const STEP_RATES = [300, 400, 600, 800];

function fakeJwe(header: Record<string, unknown>): string {
  return [Buffer.from(JSON.stringify(header)).toString('base64url'), 'a'.repeat(342), 'b'.repeat(16), 'c'.repeat(400), 'd'.repeat(22)].join('.');
}

function checkBody(sender: string, recipient: string): string {
  return JSON.stringify({
    payload: fakeJwe({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      'x-hcx-sender_code': sender,
      'x-hcx-recipient_code': recipient,
      'x-hcx-api_call_id': randomUUID(),
      'x-hcx-correlation_id': randomUUID(),
      'x-hcx-workflow_id': randomUUID(),
      'x-hcx-timestamp': Date.now(),
    }),
  });
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Participants {
  sender: string;
  recipient: string;
  apiKey: string;
}

/** The gateway in its own process (bench/fixtures/hcx-gateway.ts). */
function startGateway(mode: BenchMode, env: Record<string, string>): Promise<ServiceProcess<{ databaseUrl: string }>> {
  return startServiceProcess<{ databaseUrl: string }>('hcx-gateway', { mode, env });
}

async function acceptance(mode: BenchMode, measurements: BenchMeasurement[]): Promise<void> {
  const gateway = await startGateway(mode, { HCX_DISPATCHER_ENABLED: 'false' });
  const httpCeiling = await startHttpCeilingProcess();
  const commitCeiling = await startCommitCeilingProcess(gateway.data.databaseUrl, mode === 'standalone' ? 3 : 10);
  try {
    const { sender, recipient, apiKey } = await gateway.call<Participants>('participants', 'http://127.0.0.1:9');
    const post = (url: string, body: () => string) => ({ url, method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body });
    const results = await interleave(
      [
        { name: 'http', target: () => post(`${httpCeiling.url}/v0.8/coverageeligibility/check`, () => checkBody(sender, recipient)) },
        { name: 'commit', target: () => post(`${commitCeiling.url}/v0.8/coverageeligibility/check`, () => checkBody(sender, recipient)) },
        { name: 'gateway', target: () => post(`${gateway.url}/v0.8/coverageeligibility/check`, () => checkBody(sender, recipient)) },
      ],
      { slices: SLICES, sliceSeconds: SLICE_SECONDS, connections: CONNECTIONS },
    );
    const http200 = results.get('http')!;
    const commit = results.get('commit')!;
    const accepted = results.get('gateway')!;
    const httpName = `${mode}: HTTP ceiling (bare node:http)`;
    const commitName = `${mode}: one-commit ceiling (node:http + pg UPDATE)`;
    measurements.push(
      { name: httpName, value: http200.rps, unit: 'req/s', extra: { connections: CONNECTIONS, p99_ms: http200.p99Ms, ...cpuFigures(http200) } },
      { name: commitName, value: commit.rps, unit: 'req/s', baseline: httpName, extra: { connections: CONNECTIONS, p99_ms: commit.p99Ms, ...cpuFigures(commit) } },
      {
        name: `${mode}: HCX protocol acceptance (202)`,
        value: accepted.rps,
        unit: 'req/s',
        baseline: commitName,
        goal: 0.7,
        extra: { connections: CONNECTIONS, p50_ms: accepted.p50Ms, p99_ms: accepted.p99Ms, non2xx: accepted.non2xx, errors: accepted.errors, of_http_ceiling: Number((accepted.rps / http200.rps).toFixed(3)), load_average: loadAverage(), ...cpuFigures(accepted) },
      },
    );
  } finally {
    await httpCeiling.stop();
    await commitCeiling.stop();
    await gateway.stop();
  }
}

interface RoutingRun {
  offered: number;
  accepted: number;
  delivered: number;
  failed: number;
  p50: number;
  p95: number;
  p99: number;
  achievedRps: number;
  /** `status:count` or `code:count` of the requests not accepted. */
  reasons: string;
}

async function routing(mode: BenchMode, measurements: BenchMeasurement[], notes: string[]): Promise<void> {
  const via = mode === 'distributed' ? 'Kafka' : 'the in-process broker';
  const arrivals = new Map<string, number>();
  const recipientServer = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const payload = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payload: string }).payload;
      arrivals.set(payload, performance.now());
      res.writeHead(202).end();
    });
  });
  const gateway = await startGateway(mode, {
    HCX_DISPATCHER_ENABLED: 'true',
    // A fresh group from the end of the topic: earlier runs' requests are not this run's business.
    HCX_DISPATCHER_GROUP_ID: `hcx-gateway.dispatcher.bench.${randomUUID()}`,
    HCX_DISPATCHER_FROM_BEGINNING: 'false',
    HCX_DISPATCH_BACKOFF_MS: '50',
    HCX_DISPATCH_TIMEOUT_MS: '2000',
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const { sender, recipient, apiKey } = await gateway.call<Participants>('participants', recipientServer.url);
    const send = (text: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(`${gateway.url}/v0.8/coverageeligibility/check`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'content-length': Buffer.byteLength(text) } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
        request.end(text);
      });
    // Warm-up until the dispatcher's new consumer group has joined and delivers.
    const warmDeadline = Date.now() + 60_000;
    while (arrivals.size === 0 && Date.now() < warmDeadline) {
      await send(checkBody(sender, recipient));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    for (let i = 0; i < 200; i += 1) await send(checkBody(sender, recipient));

    const run = async (rate: number, seconds: number): Promise<RoutingRun> => {
      const acceptedAt = new Map<string, number>();
      const sends: Promise<void>[] = [];
      let failed = 0;
      // Why a request was not accepted (HTTP status or client error code), for the row's extra.
      const reasons = new Map<string, number>();
      const fail = (reason: string) => {
        failed += 1;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      };
      const total = rate * seconds;
      const started = performance.now();
      for (let i = 0; i < total; i += 1) {
        const wait = started + (i * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const text = checkBody(sender, recipient);
        const payload = (JSON.parse(text) as { payload: string }).payload;
        sends.push(
          send(text).then(
            (status) => {
              if (status === 202) acceptedAt.set(payload, performance.now());
              else fail(String(status));
            },
            (error: unknown) => fail((error as NodeJS.ErrnoException).code ?? 'error'),
          ),
        );
      }
      await Promise.all(sends);
      const achievedRps = acceptedAt.size / ((performance.now() - started) / 1000);
      const deadline = Date.now() + 30_000;
      while ([...acceptedAt.keys()].some((p) => !arrivals.has(p)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const latencies = [...acceptedAt.entries()].filter(([p]) => arrivals.has(p)).map(([p, t]) => Math.max(0, (arrivals.get(p) as number) - t)).sort((x, y) => x - y);
      return {
        offered: total,
        accepted: acceptedAt.size,
        delivered: latencies.length,
        failed,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        achievedRps,
        reasons: [...reasons].map(([reason, count]) => `${reason}:${count}`).join(' '),
      };
    };
    const extra = (r: RoutingRun) => ({
      p50_ms: Number(r.p50.toFixed(1)),
      p95_ms: Number(r.p95.toFixed(1)),
      p99_ms: Number(r.p99.toFixed(1)),
      offered: r.offered,
      accepted: r.accepted,
      delivered: r.delivered,
      failed: r.failed,
      ...(r.reasons ? { failed_by: r.reasons } : {}),
      achieved_rps: Number(r.achievedRps.toFixed(1)),
      load_average: loadAverage(),
    });
    const main = await run(RATE, ROUTING_SECONDS);
    measurements.push({ name: `${mode}: HCX routing via ${via}, ${RATE} req/s offered for ${ROUTING_SECONDS} s`, value: main.accepted > 0 ? main.delivered / main.accepted : 0, unit: 'fraction delivered', extra: extra(main) });
    let best = main.p99 <= 100 && main.delivered === main.accepted ? RATE : 0;
    for (const rate of STEP_RATES) {
      const step = await run(rate, STEP_SECONDS);
      measurements.push({ name: `${mode}: HCX routing via ${via}, ${rate} req/s offered for ${STEP_SECONDS} s`, value: step.accepted > 0 ? step.delivered / step.accepted : 0, unit: 'fraction delivered', extra: extra(step) });
      if (step.p99 > 100 || step.delivered < step.accepted || step.failed > 0) break;
      best = rate;
    }
    notes.push(`${mode}: gateway stage means over the routing runs (from /metrics): ${await stageMeans(gateway.url)}.`);
    measurements.push({ name: `${mode}: highest offered rate with routing p99 <= 100 ms`, value: best, unit: 'req/s', extra: { steps: [RATE, ...STEP_RATES].join('/') } });
    if (mode === 'distributed') notes.push('Routing latency runs from the client receiving 202 to the recipient server receiving the POST (outbox NOTIFY wake-up → relay → Kafka → dispatcher consumer group → cached RS256 token → keep-alive HTTP); in standalone mode the embedded database\'s NOTIFY wakes the relay and the in-process broker replaces Kafka.');
  } finally {
    agent.destroy();
    await gateway.stop();
    recipientServer.server.close();
  }
}

/** Mean seconds per hot-path stage from the service's /metrics (hot_path_stage_duration_seconds). */
async function stageMeans(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sums = new Map<string, { sum: number; count: number }>();
  for (const line of text.split('\n')) {
    const match = /^hot_path_stage_duration_seconds_(sum|count)\{([^}]*)\} (\S+)/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const key = `${labels.stage} ${labels.path} ${labels.outcome}`;
    const entry = sums.get(key) ?? { sum: 0, count: 0 };
    if (match[1] === 'sum') entry.sum += Number(match[3]);
    else entry.count += Number(match[3]);
    sums.set(key, entry);
  }
  return [...sums].map(([key, { sum, count }]) => `${key}: ${count} × ${((sum / Math.max(count, 1)) * 1000).toFixed(2)} ms`).join('; ');
}

const suite: BenchSuite = {
  name: 'hcx-gateway',
  description:
    'HCX protocol acceptance vs the one-commit and HTTP ceilings (autocannon, same connections, interleaved slices, same run), distributed and standalone; acceptance-to-delivery latency through real Kafka (and through the in-process broker in standalone mode).',
  async run() {
    const measurements: BenchMeasurement[] = [];
    const notes: string[] = [];
    const only = process.env.BENCH_HCX_PARTS?.split(',') ?? ['distributed', 'standalone', 'routing', 'routing-standalone'];
    if (only.includes('distributed')) await acceptance('distributed', measurements);
    if (only.includes('standalone')) await acceptance('standalone', measurements);
    if (only.includes('routing')) await routing('distributed', measurements, notes);
    if (only.includes('routing-standalone')) await routing('standalone', measurements, notes);
    notes.push(`Machine: ${os.cpus().length} CPUs shared with other work; load average at the end ${loadAverage()}. Gateway and ceilings each run in their own process; autocannon and the routing client in the bench process. Ratios come from interleaved slices of the same run; absolute figures are noisy.`);
    return { suite: 'hcx-gateway', description: suite.description, measurements, notes };
  },
};

export default suite;
