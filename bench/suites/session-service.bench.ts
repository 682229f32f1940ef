/**
 * session-service: NPI Billers launches per second (`GET /billers`: participant lookup, launch-token
 * open = RSA-OAEP-256 unwrap + PS256 verify, the single-use session INSERT, page render) against
 * the raw ceiling of the one RSA private operation a launch cannot avoid (RSA-OAEP-256 unwrap with
 * a 2048-bit key, sync node:crypto in one worker per core), measured in the same run in interleaved
 * slices. The service runs in this process on the local PostgreSQL with the in-process broker.
 */
import { constants, generateKeyPairSync, publicEncrypt, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { loadConfig } from '@npi/config';
import { seal } from '@npi/jose-envelope';
import { startService } from '@npi/service-runtime';
import type { RunningService } from '@npi/service-runtime';
import { sessionConfigSchema } from '../../apps/session-service/src/config';
import { billerInput, participantInput } from '../../apps/session-service/src/registry/registry.contracts';
import { RegistryService } from '../../apps/session-service/src/registry/registry.service';
import { sessionServiceDefinition } from '../../apps/session-service/src/service';
import { DEMO_BILLERS } from '../../apps/session-service/src/standalone';
import type { BenchMeasurement, BenchSuite } from '../lib/report';
import { benchDatabase } from '../lib/services';

const CORES = availableParallelism();
const SLICES = 6;
const CEILING_SLICE_MS = 400;
const LAUNCH_SLICE_MS = 1200;
const CONCURRENCY = 16;

const CEILING_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
parentPort.on('message', ({ key, data, ms }) => {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ms) * 1000000n;
  let count = 0;
  while (process.hrtime.bigint() < deadline) {
    crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data);
    count++;
  }
  parentPort.postMessage({ count, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
});
`;

async function ceilingSlice(workers: Worker[], key: KeyObject, data: Buffer, ms: number): Promise<{ operations: number; seconds: number }> {
  const results = await Promise.all(
    workers.map((worker) => new Promise<{ count: number; seconds: number }>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage({ key, data, ms });
    })),
  );
  return { operations: results.reduce((sum, r) => sum + r.count, 0), seconds: Math.max(...results.map((r) => r.seconds)) };
}

const pem = (key: KeyObject, type: 'pkcs8' | 'spki') => key.export({ type, format: 'pem' }).toString();

const suite: BenchSuite = {
  name: 'session-service',
  description: 'NPI Billers launches per second (token open + session insert + page) vs the raw RSA-OAEP-256 unwrap ceiling on all cores, same run',
  async run() {
    const billersSigning = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const billersEncryption = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const participantSigning = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const participantEncryption = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      DATABASE_URL: await benchDatabase('session_service'),
      DATABASE_POOL_SIZE: '10',
      BROKER: 'inprocess',
      SESSION_PUBLIC_URL: 'http://127.0.0.1:3002',
      BILLERS_SIGNING_KEY: pem(billersSigning.privateKey, 'pkcs8'),
      BILLERS_SIGNING_KID: 'bench-sig',
      BILLERS_ENCRYPTION_KEY: pem(billersEncryption.privateKey, 'pkcs8'),
      BILLERS_ENCRYPTION_KID: 'bench-enc',
      SESSION_ADMIN_TOKEN: randomBytes(32).toString('base64url'),
      SESSION_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    };
    const service: RunningService = (await startService(sessionServiceDefinition, loadConfig('session-service', sessionConfigSchema, env), { port: 0 })) as unknown as RunningService;
    const workers = Array.from({ length: CORES }, () => new Worker(CEILING_SOURCE, { eval: true }));
    try {
      const registry = service.app.get(RegistryService);
      for (const [code, biller] of Object.entries(DEMO_BILLERS)) await registry.putBiller(code, billerInput.parse(biller));
      const participant = `bench${randomUUID().slice(0, 8)}`;
      await registry.putParticipant(
        participant,
        participantInput.parse({
          name: 'Bench bank',
          hostOrigins: ['https://bank.example.com'],
          channels: ['web'],
          enabledBillers: Object.keys(DEMO_BILLERS),
          keys: [
            { kid: 'p-sig', use: 'sig', publicKey: pem(participantSigning.publicKey, 'spki') },
            { kid: 'p-enc', use: 'enc', publicKey: pem(participantEncryption.publicKey, 'spki') },
          ],
        }),
      );

      // Host-side tokens are made before measuring (a host app makes its own; not the service's cost).
      const launches: string[] = [];
      const makeLaunch = async () => {
        const sessionId = `${participant}_${randomUUID()}`;
        const token = await seal(
          { participant_code: participant, session_id: sessionId, channel: 'web' },
          { signingKey: participantSigning.privateKey, kid: 'p-sig' },
          { recipientKey: billersEncryption.publicKey, kid: 'bench-enc' },
        );
        return `${service.url}/billers?${new URLSearchParams({ landing_page: 'biller-all', participant_code: participant, channel: 'web', session_id: sessionId, token })}`;
      };
      const needed = 6000;
      for (let i = 0; i < needed; i += 200) launches.push(...(await Promise.all(Array.from({ length: 200 }, makeLaunch))));

      const wrapped = publicEncrypt({ key: billersEncryption.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));
      let ceilingOps = 0;
      let ceilingSeconds = 0;
      let launchOps = 0;
      let launchSeconds = 0;
      let failures = 0;
      const latencies: number[] = [];
      let next = 0;
      for (let slice = 0; slice < SLICES; slice += 1) {
        const ceiling = await ceilingSlice(workers, billersEncryption.privateKey, wrapped, CEILING_SLICE_MS);
        ceilingOps += ceiling.operations;
        ceilingSeconds += ceiling.seconds;
        const started = process.hrtime.bigint();
        const deadline = started + BigInt(LAUNCH_SLICE_MS) * 1_000_000n;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (process.hrtime.bigint() < deadline && next < launches.length) {
              const url = launches[next++];
              const t0 = process.hrtime.bigint();
              const response = await fetch(url);
              await response.text();
              latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
              if (response.status === 200) launchOps += 1;
              else failures += 1;
            }
          }),
        );
        launchSeconds += Number(process.hrtime.bigint() - started) / 1e9;
      }
      latencies.sort((a, b) => a - b);
      const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
      const measurements: BenchMeasurement[] = [
        { name: 'RSA-OAEP-256 unwrap ceiling (2048-bit, sync, all cores)', value: ceilingOps / ceilingSeconds, unit: 'ops/s', extra: { cores: CORES } },
        {
          name: `Billers launch GET /billers (concurrency ${CONCURRENCY})`,
          value: launchOps / launchSeconds,
          unit: 'launches/s',
          baseline: 'RSA-OAEP-256 unwrap ceiling (2048-bit, sync, all cores)',
          extra: { p50_ms: percentile(50).toFixed(1), p99_ms: percentile(99).toFixed(1), launches: launchOps, non200: failures, tokensExhausted: String(next >= launches.length) },
        },
      ];
      return {
        suite: 'session-service',
        description: suite.description,
        measurements,
        notes: [
          'A launch costs one RSA private operation (the JWE CEK unwrap) plus a PS256 verification, two participant/biller reads, one INSERT and the page render; the ratio is the share of the raw unwrap ceiling the whole launch reaches.',
          'Client, service and PostgreSQL share the machine; slices alternate so neighbour load lands on both figures alike.',
        ],
      };
    } finally {
      await Promise.all(workers.map((worker) => worker.terminate()));
      await service.stop();
    }
  },
};

export default suite;
