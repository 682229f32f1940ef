/**
 * `npm run bench -- signature-token`: sign and verify throughput of @npi/signature-token for a
 * real-time token string and for a 10,000-transaction non-real-time one (built from its request
 * each time), against raw node:crypto sign/verify of the same bytes in the same run.
 */
import { createPrivateKey, sign as cryptoSign, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import {
  buildNonRealTimeTokenString,
  buildRealTimeTokenString,
  createVerifier,
  generateMemberCredentials,
  loadSigner,
  type NonRealTimeRequest,
  type RealTimeRequest,
} from '@npi/signature-token';
import { measureThroughput, type BenchMeasurement, type BenchSuite } from '../lib/report';

const DURATION_MS = 2_500;
const ROUNDS = 5;
const USER_ID = 'BENCH@MEMBER';

function realTimeRequest(): RealTimeRequest {
  return {
    cipsBatchDetail: {
      batchId: 'BENCH-000001',
      debtorAgent: '2501',
      debtorBranch: '1',
      debtorAccount: '0010055573200018',
      batchAmount: 1500,
      batchCrncy: 'NPR',
    },
    cipsTransactionDetailList: [
      { instructionId: 'BENCH-000001-1', creditorAgent: '4501', creditorBranch: '23', creditorAccount: '001011160000374', amount: '1500.00' },
    ],
  };
}

function nonRealTimeRequest(transactions: number): NonRealTimeRequest {
  return {
    nchlIpsBatchDetail: {
      batchId: 'BENCH-NRT-000001',
      debtorAgent: '2501',
      debtorBranch: '1',
      debtorAccount: '0010055573200018',
      batchAmount: `${transactions * 125}.50`,
      batchCrncy: 'NPR',
      categoryPurpose: 'CUST',
    },
    nchlIpsTransactionDetailList: Array.from({ length: transactions }, (_, index) => ({
      instructionId: `BENCH-NRT-000001-${index + 1}`,
      creditorAgent: '4501',
      creditorBranch: String(1 + (index % 90)),
      creditorAccount: `00101116${String(index).padStart(7, '0')}`,
      amount: index === 0 ? '125.5' : 125,
    })),
  };
}

interface Contender {
  name: string;
  operation: () => unknown;
  extra?: BenchMeasurement['extra'];
}

/**
 * Measures a baseline and its contenders in alternating slices (ROUNDS each), so drift in machine
 * load (other processes on this 2-core box) lands on both sides of every ratio alike.
 */
async function compare(baseline: Contender, contenders: Contender[]): Promise<BenchMeasurement[]> {
  const all = [baseline, ...contenders];
  const totals = all.map(() => ({ operations: 0, seconds: 0 }));
  // Warm-up, so JIT and the certificate cache are in the state a running service has.
  for (const contender of all) for (let index = 0; index < 10; index++) contender.operation();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, contender] of all.entries()) {
      const { opsPerSecond, operations } = await measureThroughput(async () => contender.operation(), {
        concurrency: 1,
        durationMs: DURATION_MS / ROUNDS,
      });
      totals[index].operations += operations;
      totals[index].seconds += operations / opsPerSecond;
    }
  }
  return all.map((contender, index) => ({
    name: contender.name,
    value: totals[index].operations / totals[index].seconds,
    unit: 'ops/s',
    ...(index > 0 ? { baseline: baseline.name } : {}),
    ...(contender.extra ? { extra: contender.extra } : {}),
  }));
}

const suite: BenchSuite = {
  name: 'signature-token',
  description:
    'SHA256withRSA (2048-bit) token sign/verify per second through @npi/signature-token vs raw node:crypto on the same bytes (ratio = library / raw).',
  async run() {
    const passphrase = 'bench-passphrase';
    const credentials = generateMemberCredentials({ commonName: 'BENCH-MEMBER', passphrase, days: 2 });
    const signer = loadSigner(credentials.pfx, passphrase);
    const verifier = createVerifier();
    const privateKey = createPrivateKey(credentials.privateKeyPem);
    const publicKey = new X509Certificate(credentials.certificatePem).publicKey;
    const certificatePem = credentials.certificatePem;

    const realTime = realTimeRequest();
    const realTimeString = buildRealTimeTokenString(realTime, USER_ID);
    const realTimeBytes = Buffer.from(realTimeString, 'utf8');
    const realTimeToken = signer.sign(realTimeString);
    const realTimeSignature = Buffer.from(realTimeToken, 'base64');

    const nonRealTime = nonRealTimeRequest(10_000);
    const nonRealTimeString = buildNonRealTimeTokenString(nonRealTime, USER_ID);
    const nonRealTimeBytes = Buffer.from(nonRealTimeString, 'utf8');
    const nonRealTimeToken = signer.sign(nonRealTimeString);
    const nonRealTimeSignature = Buffer.from(nonRealTimeToken, 'base64');

    const measurements: BenchMeasurement[] = [
      ...(await compare({ name: 'raw node:crypto sign, real-time string', operation: () => cryptoSign('sha256', realTimeBytes, privateKey), extra: { bytes: realTimeBytes.length } }, [
        { name: 'signer.sign, real-time string', operation: () => signer.sign(realTimeString) },
        { name: 'build + signer.sign, real-time request', operation: () => signer.sign(buildRealTimeTokenString(realTime, USER_ID)) },
      ])),
      ...(await compare({ name: 'raw node:crypto verify, real-time string', operation: () => cryptoVerify('sha256', realTimeBytes, publicKey, realTimeSignature) }, [
        { name: 'verifier.verify, real-time string (PEM certificate, cached)', operation: () => verifier.verify(realTimeString, realTimeToken, certificatePem) },
        {
          name: 'build + verifier.verify, real-time request',
          operation: () => verifier.verify(buildRealTimeTokenString(realTime, USER_ID), realTimeToken, certificatePem),
        },
      ])),
      ...(await compare(
        {
          name: 'raw node:crypto sign, 10,000-transaction string',
          operation: () => cryptoSign('sha256', nonRealTimeBytes, privateKey),
          extra: { bytes: nonRealTimeBytes.length },
        },
        [{ name: 'build + signer.sign, 10,000-transaction request', operation: () => signer.sign(buildNonRealTimeTokenString(nonRealTime, USER_ID)) }],
      )),
      ...(await compare(
        { name: 'raw node:crypto verify, 10,000-transaction string', operation: () => cryptoVerify('sha256', nonRealTimeBytes, publicKey, nonRealTimeSignature) },
        [
          { name: 'verifier.verify, 10,000-transaction string', operation: () => verifier.verify(nonRealTimeString, nonRealTimeToken, certificatePem) },
          {
            name: 'build + verifier.verify, 10,000-transaction request',
            operation: () => verifier.verify(buildNonRealTimeTokenString(nonRealTime, USER_ID), nonRealTimeToken, certificatePem),
          },
        ],
      )),
    ];
    const buildOnly = await measureThroughput(async () => buildNonRealTimeTokenString(nonRealTime, USER_ID), { concurrency: 1, durationMs: DURATION_MS });
    measurements.push({ name: 'build only, 10,000-transaction request', value: buildOnly.opsPerSecond, unit: 'ops/s' });

    return {
      suite: 'signature-token',
      description: suite.description,
      measurements,
      notes: [
        'One caller, synchronous operations, each group measured in 5 alternating slices; raw baselines get pre-encoded bytes and a decoded signature, so a ratio below 1 is everything the library adds (UTF-8 encoding and Unicode check, strict base64, certificate cache lookup and validity check, and for "build" rows the token string itself).',
        `Non-real-time string: 10,000 transactions, ${nonRealTimeBytes.length} bytes.`,
      ],
    };
  },
};

export default suite;
