/**
 * `npm run bench -- session-service`: NPI Billers launches (`GET /billers`: participant lookup,
 * launch-token open = RSA-OAEP-256 unwrap + PS256 verify, the single-use session INSERT, page
 * render) with session-service in its own process and autocannon in this one, against the two
 * ceilings that bound a launch, in interleaved slices of the same run: the one-commit ceiling (same
 * connections) and the raw RSA-OAEP-256 unwrap rate (2048-bit, sync node:crypto, one worker thread
 * per core). The goal is 0.6 of the lower of the two. Distributed and standalone unless BENCH_MODES
 * names one.
 */
import { constants, generateKeyPairSync, publicEncrypt, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import os, { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type autocannon from 'autocannon';
import { closeDefaultPrivateKeyPool, seal } from '@npi/jose-envelope';
import { cpuFigures, interleave, loadAverage, runLoad, startCommitCeilingProcess, startHttpCeilingProcess } from '../lib/load';
import type { LoadResult } from '../lib/load';
import type { BenchMeasurement, BenchSuite } from '../lib/report';
import { startServiceProcess } from '../lib/service-process';
import { BENCH_RATE_LIMIT_PER_MINUTE } from '../lib/services';
import type { BenchMode } from '../lib/services';

const CORES = availableParallelism();
const CONNECTIONS = 16;
const SLICES = Number(process.env.BENCH_SLICES ?? 3);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 3);
/** Launch tokens to make once before measuring; by default the supply follows the unwrap ceiling (below). */
const LAUNCHES = process.env.BENCH_LAUNCHES ? Number(process.env.BENCH_LAUNCHES) : undefined;
/** Tokens held before each launch slice: the highest unwrap rate seen times the slice, times this. */
const TOKEN_MARGIN = 2;
const WARM_UP_LAUNCHES = 10;

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

const pem = (key: KeyObject, type: 'pkcs8' | 'spki') => key.export({ type, format: 'pem' }).toString();

async function measureMode(mode: BenchMode, measurements: BenchMeasurement[]): Promise<void> {
  const billersSigning = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const billersEncryption = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const participantSigning = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const participantEncryption = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const session = await startServiceProcess<{ databaseUrl: string; poolSize: number }>('session-service', {
    mode,
    env: {
      BILLERS_SIGNING_KEY: pem(billersSigning.privateKey, 'pkcs8'),
      BILLERS_SIGNING_KID: 'bench-sig',
      BILLERS_ENCRYPTION_KEY: pem(billersEncryption.privateKey, 'pkcs8'),
      BILLERS_ENCRYPTION_KID: 'bench-enc',
      SESSION_ADMIN_TOKEN: randomBytes(32).toString('base64url'),
      SESSION_COOKIE_SECRET: randomBytes(32).toString('base64url'),
      // The launch limits stay the product's (120 per source address and 6000 per participant a
      // minute by default); one load client from one address for one participant is configured above.
      SESSION_LAUNCH_LIMIT_PER_SOURCE: BENCH_RATE_LIMIT_PER_MINUTE,
      SESSION_LAUNCH_LIMIT_PER_PARTICIPANT: BENCH_RATE_LIMIT_PER_MINUTE,
    },
  });
  const httpCeiling = await startHttpCeilingProcess();
  const commitCeiling = await startCommitCeilingProcess(session.data.databaseUrl, session.data.poolSize);
  const workers = Array.from({ length: CORES }, () => new Worker(CEILING_SOURCE, { eval: true }));
  try {
    const participant = `bench${randomUUID().slice(0, 8)}`;
    await session.call('register', participant, { signingPublicKey: pem(participantSigning.publicKey, 'spki'), encryptionPublicKey: pem(participantEncryption.publicKey, 'spki') });
    const wrapped = publicEncrypt({ key: billersEncryption.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));
    const unwrapSlice = async (seconds: number): Promise<LoadResult> => {
      const results = await Promise.all(
        workers.map(
          (worker) =>
            new Promise<{ count: number; seconds: number }>((resolve) => {
              worker.once('message', resolve);
              worker.postMessage({ key: billersEncryption.privateKey, data: wrapped, ms: seconds * 1000 });
            }),
        ),
      );
      const elapsed = Math.max(...results.map((r) => r.seconds));
      const operations = results.reduce((sum, r) => sum + r.count, 0);
      return { requests: operations, seconds: elapsed, rps: operations / elapsed, p50Ms: 0, p99Ms: 0, non2xx: 0, errors: 0 };
    };

    // Host-side tokens are made outside the measured slices (a host app makes its own; not the
    // service's cost), their PS256 signatures on seal's worker pool (all cores), which is closed
    // before the next slice so none of it competes with the service. Every launch opens its token
    // with one RSA private operation, so the service cannot answer more launches in a slice than the
    // unwrap ceiling allows: before each launch slice the supply is topped up to the highest unwrap
    // rate seen so far times the slice, with a margin (BENCH_LAUNCHES, if set, is made once instead).
    const makeLaunch = async () => {
      const sessionId = `${participant}_${randomUUID()}`;
      const token = await seal(
        { participant_code: participant, session_id: sessionId, channel: 'web' },
        { signingKey: participantSigning.privateKey, kid: 'p-sig' },
        { recipientKey: billersEncryption.publicKey, kid: 'bench-enc' },
      );
      return `/billers?${new URLSearchParams({ landing_page: 'biller-all', participant_code: participant, channel: 'web', session_id: sessionId, token })}`;
    };
    const launches: string[] = [];
    let made = 0;
    /** Tops the supply up to `level` tokens. */
    const makeLaunches = async (level: number) => {
      while (launches.length < level) {
        const batch = await Promise.all(Array.from({ length: Math.min(500, level - launches.length) }, makeLaunch));
        launches.push(...batch);
        made += batch.length;
      }
      await closeDefaultPrivateKeyPool();
    };
    let highestUnwrapRate = 0;
    const measureUnwrap = async (seconds: number) => {
      const result = await unwrapSlice(seconds);
      highestUnwrapRate = Math.max(highestUnwrapRate, result.rps);
      return result;
    };
    const topUp = async (): Promise<LoadResult> => {
      const started = performance.now();
      if (LAUNCHES === undefined) await makeLaunches(Math.ceil(highestUnwrapRate * SLICE_SECONDS * TOKEN_MARGIN));
      return { requests: 0, seconds: (performance.now() - started) / 1000, rps: 0, p50Ms: 0, p99Ms: 0, non2xx: 0, errors: 0 };
    };
    if (LAUNCHES !== undefined) await makeLaunches(LAUNCHES);
    await makeLaunches(launches.length + WARM_UP_LAUNCHES);
    for (let i = 0; i < WARM_UP_LAUNCHES; i += 1) await (await fetch(`${session.url}${launches.pop() as string}`)).text();
    await measureUnwrap(1);
    // A request without a token would be a fast 4xx, so a run that ran out measures the supply over
    // the time, not the service: such a run fails (below) instead of reporting a rate.
    let missing = 0;
    const nextLaunch = () => {
      const next = launches.pop();
      if (!next) missing += 1;
      return next ?? '/billers';
    };

    // The service's own CPU time per launch (all its threads; PostgreSQL's share is not in it): on a
    // shared machine the rate moves with the neighbours' load, this much less.
    let serviceCpuMicros = 0;
    let launchRequests = 0;
    const launchSlice = async (seconds: number): Promise<LoadResult> => {
      const before = await session.call<NodeJS.CpuUsage>('cpuUsage');
      const result = await runLoad(
        {
          url: `${session.url}/billers`,
          method: 'GET',
          requests: [{ method: 'GET', setupRequest: (request: autocannon.Request) => ({ ...request, path: nextLaunch() }) } as unknown as autocannon.Request],
        },
        { connections: CONNECTIONS, seconds },
      );
      const after = await session.call<NodeJS.CpuUsage>('cpuUsage');
      serviceCpuMicros += after.user - before.user + (after.system - before.system);
      launchRequests += result.requests;
      return result;
    };
    const results = await interleave(
      [
        { name: 'http', target: () => ({ url: `${httpCeiling.url}/billers`, method: 'GET' }) },
        { name: 'commit', target: () => ({ url: `${commitCeiling.url}/billers`, method: 'GET' }) },
        { name: 'unwrap', run: measureUnwrap },
        { name: 'token top-up (not measured)', run: topUp },
        { name: 'launch', run: launchSlice },
      ],
      { slices: SLICES, sliceSeconds: SLICE_SECONDS, connections: CONNECTIONS },
    );
    const get = (name: string) => results.get(name) as NonNullable<ReturnType<typeof results.get>>;
    if (missing > 0) {
      throw new Error(
        `session-service ${mode}: the bench ran out of launch tokens (${made} made, ${missing} requests sent without one, ` +
          `${Math.round(get('launch').rps)} launches/s over ${get('launch').seconds.toFixed(1)} s): the run is invalid; raise BENCH_LAUNCHES or leave it unset (sized from the unwrap ceiling)`,
      );
    }
    const extra = (name: string) => ({ connections: CONNECTIONS, p50_ms: get(name).p50Ms, p99_ms: get(name).p99Ms, non2xx: get(name).non2xx, errors: get(name).errors, load_average: loadAverage(), ...cpuFigures(get(name)) });
    const httpName = `${mode}: HTTP ceiling (bare node:http)`;
    const commitName = `${mode}: one-commit ceiling (node:http + pg UPDATE)`;
    const unwrapName = `${mode}: RSA-OAEP-256 unwrap ceiling (2048-bit, sync, all cores)`;
    const bound = get('commit').rps <= get('unwrap').rps ? commitName : unwrapName;
    measurements.push(
      { name: httpName, value: get('http').rps, unit: 'req/s', extra: extra('http') },
      { name: commitName, value: get('commit').rps, unit: 'req/s', baseline: httpName, extra: extra('commit') },
      { name: unwrapName, value: get('unwrap').rps, unit: 'ops/s', extra: { cores: CORES, load_average: loadAverage() } },
      {
        name: `${mode}: Billers launch GET /billers`,
        value: get('launch').rps,
        unit: 'launches/s',
        baseline: bound,
        goal: 0.6,
        extra: { ...extra('launch'), bound_by: bound === commitName ? 'one-commit' : 'unwrap', service_cpu_ms_per_launch: Number((serviceCpuMicros / 1000 / Math.max(1, launchRequests)).toFixed(3)), tokens_made: made, tokens_left: launches.length },
      },
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    await httpCeiling.stop();
    await commitCeiling.stop();
    await session.stop();
  }
}

const suite: BenchSuite = {
  name: 'session-service',
  description: 'NPI Billers launches (token open + session insert + page) vs min(one-commit ceiling, raw RSA-OAEP-256 unwrap on all cores), autocannon, interleaved slices, same run',
  async run() {
    const measurements: BenchMeasurement[] = [];
    const modes = (process.env.BENCH_MODES?.split(',') ?? ['distributed', 'standalone']) as BenchMode[];
    for (const mode of modes) await measureMode(mode, measurements);
    return {
      suite: 'session-service',
      description: suite.description,
      measurements,
      notes: [
        'A launch costs one RSA private operation (the JWE CEK unwrap) plus a PS256 verification, participant/biller reads, one INSERT and the page render; its ratio is to the lower of the one-commit and unwrap ceilings (bound_by).',
        `Machine: ${os.cpus().length} CPUs shared with other work; load average at the end ${loadAverage()}. session-service and each ceiling run in their own process; the unwrap ceiling in worker threads of the bench process, autocannon in its main thread.`,
      ],
    };
  },
};

export default suite;
