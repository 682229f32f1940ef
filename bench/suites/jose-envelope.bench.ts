/**
 * jose-envelope: seal/open throughput against the raw node:crypto ceiling of the RSA private
 * operations they cannot avoid (PS256 sign for seal, RSA-OAEP-256 CEK unwrap for open), measured in
 * the same run on all cores (one worker thread per core, each running sync crypto in a loop).
 */
import { generateKeyPairSync, constants, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as jose from 'jose';
import { KeySet, PrivateKeyPool, open, seal, type OpenOptions, type JwtClaims } from '@npi/jose-envelope';
import { measureThroughput, type BenchMeasurement, type BenchSuite } from '../lib/report';

// Interleaved slices: every measurement and its ceiling alternate in short slices, so that load from
// a neighbour on a shared machine lands on both alike instead of skewing one ratio.
const SLICES = 12;
const SLICE_MS = 250;
const CORES = availableParallelism();

// A typical npiObject (docs/npi-reference.md, NPI Billers v2): what session-service seals for a host app.
const CLAIMS: JwtClaims = {
  iat: 0,
  exp: 0,
  jti: '00000000-0000-4000-8000-000000000000',
  session_id: 'BANK01_3f1c2a9e-6a4b-4f7e-9d3c-2b1a0e9f8c7d',
  cipsBatchDetail: {
    batchId: 'B2025112500001', batchAmount: 1500.0, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG',
    debtorAgent: '', debtorBranch: '', debtorName: '', debtorAccount: '',
  },
  cipsTransactionDetail: {
    id: 12345, instructionId: 'I2025112500001', endToEndId: 'NEA-0012345678', amount: 1500.0, appId: 'NEA', refId: '0012345678',
    creditorAgent: '2501', creditorBranch: '1', creditorName: 'Nepal Electricity Authority', creditorAccount: '00100200300400', chargeAmount: 5.0,
  },
  fieldLabelMapping: [
    { fieldName: 'scNo', fieldLabel: 'SC No', mapField: 'addenda1' },
    { fieldName: 'customerId', fieldLabel: 'Customer ID', mapField: 'addenda2' },
  ],
};

const CEILING_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
parentPort.on('message', ({ key, op, data, ms }) => {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ms) * 1000000n;
  let count = 0;
  while (process.hrtime.bigint() < deadline) {
    if (op === 'sign') crypto.sign('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    else crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data);
    count++;
  }
  parentPort.postMessage({ count, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
});
`;

/** One worker per core, each running sync sign/unwrap in a loop: the all-core ceiling. */
class Ceiling {
  private readonly workers = Array.from({ length: CORES }, () => new Worker(CEILING_SOURCE, { eval: true }));

  /** Operations and seconds (summed ops, wall time of the slowest worker) of one slice. */
  async slice(op: 'sign' | 'unwrap', key: KeyObject, data: Uint8Array, ms: number): Promise<{ operations: number; seconds: number }> {
    const results = await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<{ count: number; seconds: number }>((resolve) => {
            worker.once('message', resolve);
            worker.postMessage({ key, op, data, ms });
          }),
      ),
    );
    return { operations: results.reduce((sum, r) => sum + r.count, 0), seconds: Math.max(...results.map((r) => r.seconds)) };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

const suite: BenchSuite = {
  name: 'jose-envelope',
  description: `Nested JWT seal/open (PS256 inside RSA-OAEP-256/A256GCM, 2048-bit keys) vs the node:crypto ceiling on ${CORES} cores`,
  async run() {
    const sender = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const recipient = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...CLAIMS, iat: now, exp: now + 3600 };
    const signer = { signingKey: sender.privateKey, kid: 'npi-billers-sig-1' };
    const to = { recipientKey: recipient.publicKey, kid: 'bank01-enc-1' };
    const pool = new PrivateKeyPool();
    const inProcess = false as const;
    const openOptions = (offload: OpenOptions['offload']): OpenOptions => ({
      decryptionKeys: new KeySet([{ kid: 'bank01-enc-1', key: recipient.privateKey, use: 'enc' }]),
      sender: { id: 'NPI', keys: new KeySet([{ kid: 'npi-billers-sig-1', key: sender.publicKey, use: 'sig' }]) },
      offload,
    });
    const token = await seal(claims, signer, to, { offload: pool });
    const withPool = openOptions(pool);
    const withoutPool = openOptions(inProcess);

    // The private-operation inputs of one envelope: the JWS signing input and a wrapped 32-byte CEK.
    const signingInput = Buffer.from(
      `${Buffer.from(JSON.stringify({ alg: 'PS256', kid: signer.kid, typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`,
    );
    const wrappedCek = publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));

    const joseSeal = async (): Promise<string> => {
      const inner = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: signer.kid, typ: 'JWT' }).sign(sender.privateKey);
      return new jose.CompactEncrypt(new TextEncoder().encode(inner))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: to.kid })
        .encrypt(recipient.publicKey);
    };
    const joseOpen = async (): Promise<unknown> => {
      const { plaintext } = await jose.compactDecrypt(token, recipient.privateKey, {
        keyManagementAlgorithms: ['RSA-OAEP-256'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      return jose.jwtVerify(new TextDecoder().decode(plaintext), sender.publicKey, { algorithms: ['PS256'] });
    };

    const ceilingPool = new Ceiling();
    const timed = (operation: () => Promise<unknown>, concurrency: number) => async () => {
      const { operations, opsPerSecond } = await measureThroughput(operation, { concurrency, durationMs: SLICE_MS });
      return { operations, seconds: operations / opsPerSecond };
    };

    // Warm up the pool, the JIT and jose's key conversion caches.
    for (let index = 0; index < 50; index += 1) {
      await seal(claims, signer, to, { offload: pool });
      await open(token, withPool);
      await joseSeal();
      await joseOpen();
    }

    const SIGN = 'ceiling: PS256 sign, sync node:crypto, all cores';
    const UNWRAP = 'ceiling: RSA-OAEP-256 unwrap, sync node:crypto, all cores';
    const plan: Array<{ name: string; slice: () => Promise<{ operations: number; seconds: number }>; baseline?: string; goal?: number }> = [
      { name: SIGN, slice: () => ceilingPool.slice('sign', sender.privateKey, signingInput, SLICE_MS) },
      { name: 'seal, concurrency 64', slice: timed(() => seal(claims, signer, to, { offload: pool }), 64), baseline: SIGN, goal: 0.85 },
      { name: 'seal, concurrency 1', slice: timed(() => seal(claims, signer, to, { offload: pool }), 1), baseline: SIGN },
      { name: UNWRAP, slice: () => ceilingPool.slice('unwrap', recipient.privateKey, wrappedCek, SLICE_MS) },
      { name: 'open, concurrency 64', slice: timed(() => open(token, withPool), 64), baseline: UNWRAP, goal: 0.85 },
      { name: 'open, concurrency 1', slice: timed(() => open(token, withPool), 1), baseline: UNWRAP },
      { name: 'reference: seal offload:false, concurrency 64', slice: timed(() => seal(claims, signer, to, { offload: inProcess }), 64), baseline: SIGN },
      { name: 'reference: open offload:false, concurrency 64', slice: timed(() => open(token, withoutPool), 64), baseline: UNWRAP },
      { name: 'reference: plain jose seal, concurrency 64', slice: timed(joseSeal, 64), baseline: SIGN },
      { name: 'reference: plain jose open, concurrency 64', slice: timed(joseOpen, 64), baseline: UNWRAP },
    ];

    const cpuSeconds = (): number => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    };
    const totals = new Map(plan.map((step) => [step.name, { operations: 0, seconds: 0, cpuSeconds: 0 }]));
    for (let round = 0; round < SLICES; round += 1) {
      for (const step of plan) {
        const cpuBefore = cpuSeconds();
        const { operations, seconds } = await step.slice();
        const total = totals.get(step.name) ?? { operations: 0, seconds: 0, cpuSeconds: 0 };
        totals.set(step.name, total);
        total.operations += operations;
        total.seconds += seconds;
        total.cpuSeconds += cpuSeconds() - cpuBefore;
      }
    }
    await pool.close();
    await ceilingPool.close();

    // Operations per CPU-second (all threads of this process): unlike ops/s, this does not depend on
    // how much of a shared machine the scheduler grants, so it shows the envelope's own overhead
    // (cpuRatio = the share of CPU spent in the private-key operation itself) even under load.
    const perCpuSecond = (name: string): number => {
      const total = totals.get(name);
      return total && total.cpuSeconds > 0 ? total.operations / total.cpuSeconds : 0;
    };
    const measurements: BenchMeasurement[] = plan.map((step) => {
      const total = totals.get(step.name) ?? { operations: 0, seconds: 1, cpuSeconds: 1 };
      const extra: Record<string, number | string> = {
        operations: total.operations,
        seconds: total.seconds.toFixed(2),
        opsPerCpuSecond: perCpuSecond(step.name).toFixed(1),
      };
      if (step.baseline) extra.cpuRatio = (perCpuSecond(step.name) / perCpuSecond(step.baseline)).toFixed(3);
      return { name: step.name, value: total.operations / total.seconds, unit: 'ops/s', baseline: step.baseline, goal: step.goal, extra };
    });
    return {
      suite: 'jose-envelope',
      description: suite.description,
      measurements,
      notes: [
        `Private-key pool of ${pool.size} worker threads (one per core); seal signs and open unwraps the CEK there, everything else runs on the main thread.`,
        `Concurrency 1 can keep only one core busy, so its ratio to the all-core ceiling is bounded by 1/${CORES}.`,
        `Each figure is total operations / total time over ${SLICES} slices of ${SLICE_MS} ms, all measurements interleaved slice by slice.`,
        'extra.cpuRatio compares operations per CPU-second with the baseline: robust to a busy shared machine, where ops/s ratios mostly reflect the scheduler (a measurement with more runnable threads gets a larger share).',
        `Load average at the end of the run: ${loadavg().map((load) => load.toFixed(2)).join(' ')} on ${CORES} cores.`,
      ],
    };
  },
};

export default suite;
