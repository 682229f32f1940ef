/**
 * `npm run bench -- hcx-gateway`:
 * 1. accepted protocol requests per second through HTTP on the gateway path (API key check, header
 *    validation, replay check, audit + outbox write; local PostgreSQL, in-process broker) as a ratio
 *    of a bare Node HTTP server answering 202 on the same machine, same client, same run;
 * 2. p50/p99 time from gateway acceptance (the 202) to delivery at a recipient HTTP server, through
 *    the real Kafka broker (ensureKafka) and the dispatcher, at 200 requests/s.
 * The gateway never decrypts, so requests carry a JWE-shaped payload with a real protected header.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@npi/config';
import { startService } from '@npi/service-runtime';
import type { RunningService } from '@npi/service-runtime';
import { GATEWAY } from '../../apps/hcx-gateway/src/app.module';
import { hcxConfigSchema } from '../../apps/hcx-gateway/src/config';
import type { HcxGatewayConfig } from '../../apps/hcx-gateway/src/config';
import type { Gateway } from '../../apps/hcx-gateway/src/gateway';
import { hcxServiceDefinition } from '../../apps/hcx-gateway/src/service';
import { standaloneEnvironment } from '../../apps/hcx-gateway/src/standalone';
import { applyMigrations } from '../../tools/db/migrate';
import { ensureKafka } from '../../tools/testing/kafka-harness';
import { measureThroughput } from '../lib/report';
import type { BenchMeasurement, BenchSuite } from '../lib/report';

const DATABASE = 'npi_bench_hcx';
const THROUGHPUT_MS = 5_000;
const CONCURRENCY = 32;
const RATE = 200;
const LATENCY_SECONDS = 5;

async function benchDatabase(): Promise<string> {
  const url = new URL(process.env.BENCH_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/${DATABASE}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [url.pathname.slice(1)]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${url.pathname.slice(1)}"`);
  } finally {
    await client.end();
  }
  await applyMigrations({ databaseUrl: url.toString(), log: () => undefined });
  return url.toString();
}

function fakeJwe(header: Record<string, unknown>): string {
  return [Buffer.from(JSON.stringify(header)).toString('base64url'), 'a'.repeat(342), 'b'.repeat(16), 'c'.repeat(400), 'd'.repeat(22)].join('.');
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function startGateway(databaseUrl: string, dataDir: string, extra: Record<string, string>): Promise<RunningService<HcxGatewayConfig>> {
  const config = loadConfig('hcx-gateway', hcxConfigSchema, {
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '20',
    ...standaloneEnvironment(dataDir),
    HCX_SECRET_NOTIFIER: 'none',
    HCX_TOKEN_RATE_LIMIT_PER_CLIENT: '100000',
    ...extra,
  });
  return startService(hcxServiceDefinition, config, { port: 0 });
}

async function participants(service: RunningService<HcxGatewayConfig>, recipientEndpoint: string) {
  const gateway = service.app.get<Gateway>(GATEWAY);
  const pem = fs.readFileSync(path.join(__dirname, '..', '..', 'apps', 'hcx-gateway', 'test', 'fixtures', 'participant-cert.pem'), 'utf8');
  const suffix = randomUUID().slice(0, 8);
  const make = (role: string, endpoint: string) =>
    gateway.registry.create({
      participant_code: `bench-${role}-${suffix}`,
      participant_name: role,
      roles: [role],
      primary_email: 'bench@example.invalid',
      endpoint_url: endpoint,
      encryption_cert: pem,
      signing_cert: pem,
      status: 'Active',
    });
  const provider = await make('provider', 'http://127.0.0.1:9');
  const payor = await make('payor', recipientEndpoint);
  const token = await gateway.tokens.generate(provider.participant.participant_code, provider.client_secret, '127.0.0.1');
  return { sender: provider.participant.participant_code, recipient: payor.participant.participant_code, apiKey: token.access_token };
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const suite: BenchSuite = {
  name: 'hcx-gateway',
  description: 'Protocol request acceptance vs a bare Node HTTP server (same client, same run); acceptance-to-delivery latency through real Kafka at 200 req/s.',
  async run() {
    const measurements: BenchMeasurement[] = [];
    const notes: string[] = [];
    const databaseUrl = await benchDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcx-bench-'));

    // Baseline: a bare Node server reading the body and answering 202 JSON.
    const bare = await listen((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    const body = checkBody('a', 'b');
    const baseline = await measureThroughput(
      async () => {
        const response = await fetch(`${bare.url}/v0.8/coverageeligibility/check`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body });
        await response.arrayBuffer();
      },
      { concurrency: CONCURRENCY, durationMs: THROUGHPUT_MS },
    );
    bare.server.close();
    measurements.push({ name: 'bare Node HTTP 202', value: baseline.opsPerSecond, unit: 'req/s', extra: { concurrency: CONCURRENCY } });

    // Gateway path, in-process broker (the outbox write is included; the relay publishes in process).
    const gateway = await startGateway(databaseUrl, dataDir, { BROKER: 'inprocess', HCX_DISPATCHER_ENABLED: 'false' });
    try {
      const { sender, recipient, apiKey } = await participants(gateway, 'http://127.0.0.1:9');
      let refused = 0;
      const accepted = await measureThroughput(
        async () => {
          const response = await fetch(`${gateway.url}/v0.8/coverageeligibility/check`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
            body: checkBody(sender, recipient),
          });
          await response.arrayBuffer();
          if (response.status !== 202) refused += 1;
        },
        { concurrency: CONCURRENCY, durationMs: THROUGHPUT_MS },
      );
      measurements.push({ name: 'gateway accepted check', value: accepted.opsPerSecond, unit: 'req/s', baseline: 'bare Node HTTP 202', extra: { concurrency: CONCURRENCY, refused } });
    } finally {
      await gateway.stop();
    }

    // Acceptance → delivery through Kafka at a fixed rate.
    const kafka = await ensureKafka();
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
    const kafkaGateway = await startGateway(databaseUrl, dataDir, {
      BROKER: 'kafka',
      KAFKA_BROKERS: kafka.brokers,
      HCX_DISPATCHER_ENABLED: 'true',
      // A fresh group from the end of the topic: earlier runs' requests are not this run's business.
      HCX_DISPATCHER_GROUP_ID: `hcx-gateway.dispatcher.bench.${randomUUID()}`,
      HCX_DISPATCHER_FROM_BEGINNING: 'false',
      HCX_DISPATCH_BACKOFF_MS: '50',
      HCX_DISPATCH_TIMEOUT_MS: '2000',
    });
    try {
      const { sender, recipient, apiKey } = await participants(kafkaGateway, recipientServer.url);
      // Warm-up until the dispatcher's new consumer group has joined and delivers (it starts at the
      // end of the topic, so requests published before the join are not seen: send until one arrives).
      const warmDeadline = Date.now() + 60_000;
      while (arrivals.size === 0 && Date.now() < warmDeadline) {
        const warm = checkBody(sender, recipient);
        await fetch(`${kafkaGateway.url}/v0.8/coverageeligibility/check`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: warm });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }

      const acceptedAt = new Map<string, number>();
      const sends: Promise<void>[] = [];
      let failed = 0;
      let failure: string | undefined;
      const total = RATE * LATENCY_SECONDS;
      const started = performance.now();
      for (let i = 0; i < total; i += 1) {
        const due = started + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const text = checkBody(sender, recipient);
        const payload = (JSON.parse(text) as { payload: string }).payload;
        sends.push(
          fetch(`${kafkaGateway.url}/v0.8/coverageeligibility/check`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: text }).then(async (response) => {
            await response.arrayBuffer();
            if (response.status === 202) acceptedAt.set(payload, performance.now());
            else failed += 1;
          }, (error: unknown) => {
            failed += 1;
            failure ??= String((error as { cause?: unknown }).cause ?? error);
          }),
        );
      }
      await Promise.all(sends);
      const deadline = Date.now() + 30_000;
      while ([...acceptedAt.keys()].some((p) => !arrivals.has(p)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const latencies = [...acceptedAt.entries()].filter(([p]) => arrivals.has(p)).map(([p, t]) => Math.max(0, (arrivals.get(p) as number) - t)).sort((x, y) => x - y);
      const achievedRate = acceptedAt.size / ((performance.now() - started) / 1000);
      measurements.push({
        name: `acceptance to delivery via Kafka at ${RATE} req/s`,
        value: acceptedAt.size > 0 ? latencies.length / acceptedAt.size : 0,
        unit: 'fraction delivered',
        extra: { p50_ms: Number(percentile(latencies, 50).toFixed(1)), p99_ms: Number(percentile(latencies, 99).toFixed(1)), accepted: acceptedAt.size, delivered: latencies.length, offered: total, failed, achieved_rps: Number(achievedRate.toFixed(1)) },
      });
      if (failure) notes.push(`first failed send: ${failure}`);
      notes.push('Latency is measured from the client receiving 202 to the recipient server receiving the POST (outbox relay → Kafka → dispatcher consumer group → RS256 token → HTTP).');
    } finally {
      await kafkaGateway.stop();
      recipientServer.server.close();
    }
    return { suite: 'hcx-gateway', description: suite.description, measurements, notes };
  },
};

export default suite;
