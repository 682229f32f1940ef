/**
 * `npm run bench -- payment-service`: NPI real-time payments (`POST /api/postcipsbatch`: access
 * token, source allowlist, SHA256withRSA token check, whitelist, debit-cap reservation on ONE
 * member's cap row, the hottest possible row, signed answer) vs the one-commit ceiling, with
 * autocannon from this process, payment-service and each ceiling in their own process,
 * interleaved slices, same connections; then a burst the cap can only partly satisfy: the
 * overshoot (accepted beyond the cap) must be 0. Distributed (PostgreSQL + Kafka) and standalone
 * (PGlite + in-process broker) unless BENCH_MODES names one.
 */
import { randomBytes, sign as cryptoSign, constants as cryptoConstants } from 'node:crypto';
import os from 'node:os';
import type { PaymentMember } from '../fixtures/payment-service';
import { cpuFigures, interleave, loadAverage, startCommitCeilingProcess, startHttpCeilingProcess } from '../lib/load';
import type { BenchMeasurement, BenchSuite } from '../lib/report';
import { startServiceProcess } from '../lib/service-process';
import type { BenchMode } from '../lib/services';

const CONNECTIONS = 32;
const SLICES = Number(process.env.BENCH_SLICES ?? 3);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 3);
const BODIES = Number(process.env.BENCH_PAYMENT_BODIES ?? 4_000);
const BURST = 1_000;
const BURST_ALLOWED = 400;

function bodyMaker(member: PaymentMember) {
  return (amount: number) => {
    const batchId = `B${randomBytes(8).toString('hex')}`;
    const tokenString = `${batchId},2501,1,${member.debtorAccount},${amount.toFixed(2)},NPR,${batchId}-1,4501,23,001011160000374,${amount.toFixed(2)},${member.username}`;
    return JSON.stringify({
      cipsBatchDetail: { batchId, batchAmount: amount, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: member.code, debtorAccount: member.debtorAccount },
      cipsTransactionDetailList: [{ instructionId: `${batchId}-1`, endToEndId: 'bench', amount, creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram', creditorAccount: '001011160000374' }],
      token: cryptoSign('sha256', Buffer.from(tokenString), { key: member.privateKeyPem, padding: cryptoConstants.RSA_PKCS1_PADDING }).toString('base64'),
    });
  };
}

async function measureMode(mode: BenchMode, measurements: BenchMeasurement[], notes: string[]): Promise<void> {
  const payments = await startServiceProcess<{ databaseUrl: string; poolSize: number }>('payment-service', { mode });
  const httpCeiling = await startHttpCeilingProcess();
  const commitCeiling = await startCommitCeilingProcess(payments.data.databaseUrl, payments.data.poolSize);
  try {
    const member = await payments.call<PaymentMember>('member');
    const body = bodyMaker(member);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${member.token}` };
    const url = `${payments.url}/api/postcipsbatch`;
    // Members sign on their side: bodies are signed before the clock starts, each used once.
    const bodies = Array.from({ length: BODIES }, () => body(1));
    for (let i = 0; i < 20; i += 1) await (await fetch(url, { method: 'POST', headers, body: body(1) })).arrayBuffer();
    let next = 1;
    let exhausted = false;
    const nextBody = () => {
      if (next >= bodies.length) exhausted = true;
      return bodies[next++ % bodies.length];
    };
    const results = await interleave(
      [
        // The ceilings ignore the body: they get one fixed payment body of the same size.
        { name: 'http', target: () => ({ url: `${httpCeiling.url}/api/postcipsbatch`, method: 'POST', headers, body: bodies[0] }) },
        { name: 'commit', target: () => ({ url: `${commitCeiling.url}/api/postcipsbatch`, method: 'POST', headers, body: bodies[0] }) },
        { name: 'payment', target: () => ({ url, method: 'POST', headers, body: nextBody }) },
      ],
      { slices: SLICES, sliceSeconds: SLICE_SECONDS, connections: CONNECTIONS },
    );
    const get = (name: string) => results.get(name) as NonNullable<ReturnType<typeof results.get>>;

    // Burst past the cap: BURST concurrent payments of 10.00, the cap allows BURST_ALLOWED of them.
    const usedBefore = await payments.call<string>('used');
    const capAmount = (Number(usedBefore.replace('.', '')) + BURST_ALLOWED * 1000) / 100;
    await payments.call('setCap', capAmount.toFixed(2));
    const burstBodies = Array.from({ length: BURST }, () => body(10));
    const answers: number[] = [];
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (cursor < burstBodies.length) {
          const payload = burstBodies[cursor++];
          try {
            const response = await fetch(url, { method: 'POST', headers, body: payload });
            answers.push(response.status);
            await response.arrayBuffer();
          } catch {
            answers.push(0);
          }
        }
      }),
    );
    const accepted = answers.filter((status) => status === 200).length;
    const usedAfter = await payments.call<string>('used');
    const recorded = await payments.call<string>('recorded');
    const overshoot = Math.max(0, accepted - BURST_ALLOWED) + (Number(usedAfter) > capAmount ? 1 : 0) + (recorded !== usedAfter ? 1 : 0);

    const httpName = `${mode}: HTTP ceiling (bare node:http)`;
    const commitName = `${mode}: one-commit ceiling (node:http + pg UPDATE)`;
    const extra = (name: string) => ({ connections: CONNECTIONS, p50_ms: get(name).p50Ms, p99_ms: get(name).p99Ms, non2xx: get(name).non2xx, errors: get(name).errors, load_average: loadAverage(), ...cpuFigures(get(name)) });
    measurements.push(
      { name: httpName, value: get('http').rps, unit: 'req/s', extra: extra('http') },
      { name: commitName, value: get('commit').rps, unit: 'req/s', baseline: httpName, extra: extra('commit') },
      {
        name: `${mode}: NPI real-time payment, cap reserved on one row`,
        value: get('payment').rps,
        unit: 'payments/s',
        baseline: commitName,
        goal: 0.5,
        extra: { ...extra('payment'), overshoot, ...(exhausted ? { bodies_reused: 'yes' } : {}) },
      },
      { name: `${mode}: burst of ${BURST} at a cap allowing ${BURST_ALLOWED}`, value: accepted, unit: 'accepted', extra: { allowed: BURST_ALLOWED, overshoot, capAmount: capAmount.toFixed(2), used: usedAfter, recordedAccepted: recorded } },
    );
    notes.push(`${mode}: overshoot must be 0: ${overshoot === 0 ? 'it is' : 'IT IS NOT'}.`);
  } finally {
    await httpCeiling.stop();
    await commitCeiling.stop();
    await payments.stop();
  }
}

const suite: BenchSuite = {
  name: 'payment-service',
  description: 'NPI real-time payments (signature, whitelist, atomic debit-cap reservation on one contended row, signed answer) vs the one-commit ceiling, autocannon, same connections, interleaved slices, same run; then a burst past the cap (overshoot must be 0).',
  async run() {
    const measurements: BenchMeasurement[] = [];
    const notes: string[] = [];
    const modes = (process.env.BENCH_MODES?.split(',') ?? ['distributed', 'standalone']) as BenchMode[];
    for (const mode of modes) await measureMode(mode, measurements, notes);
    notes.push(
      'Each payment: JWT verification, source IP allowlist, SHA256withRSA verification of the member token, whitelist and bank lookups, one autocommit SQL statement (claim batchId, conditional UPDATE of the cap row, batch, transactions, answer and outbox rows), the signed NPI answer. A body is used once (a replayed batchId is refused); after BENCH_PAYMENT_BODIES bodies they repeat and the row says so.',
      `Machine: ${os.cpus().length} CPUs shared with other work; load average at the end ${loadAverage()}. payment-service and each ceiling run in their own process; autocannon in the bench process.`,
    );
    return { suite: 'payment-service', description: suite.description, measurements, notes };
  },
};

export default suite;
