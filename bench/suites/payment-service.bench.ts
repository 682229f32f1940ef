/**
 * `npm run bench -- payment-service`: real-time payments per second through HTTP, every one signed,
 * verified, whitelisted and reserved against ONE member's debit cap (the hottest possible row), as
 * a ratio of a plain single-row-update transaction rate on the same database in the same run. Then
 * a burst that the cap can only partly satisfy: the overshoot (accepted beyond the cap) must be 0.
 * Local PostgreSQL (npi_bench_payment_service), in-process broker.
 */
import { createServer } from 'node:http';
import { randomBytes, randomUUID, sign as cryptoSign, constants as cryptoConstants } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { Pool } from 'pg';
import { loadConfig } from '@npi/config';
import { AuthClientUpdatedV1 } from '@npi/kafka-contracts';
import { publishEvent } from '@npi/messaging';
import { BATCH_REPOSITORY, DEBIT_CAP_REPOSITORY, MEMBER_REGISTRY, WHITELIST_REPOSITORY } from '@npi/payment/data-access';
import type { BatchRepository, DebitCapRepository, MemberRegistry, WhitelistRepository } from '@npi/payment/data-access';
import { startService } from '@npi/service-runtime';
import { generateMemberCredentials } from '@npi/signature-token';
import { paymentConfigSchema } from '../../apps/payment-service/src/config';
import { settlementSessionAt } from '../../apps/payment-service/src/domain/settlement-session';
import { paymentServiceDefinition } from '../../apps/payment-service/src/service';
import { standaloneEnvironment } from '../../apps/payment-service/src/standalone';
import { measureThroughput } from '../lib/report';
import { benchDatabase } from '../lib/services';
import type { BenchSuite, BenchSuiteResult } from '../lib/report';

const BASELINE_MS = 6_000;
const PAYMENTS_MS = 10_000;
const CONCURRENCY = 32;
const BURST = 1_000;
const BURST_ALLOWED = 400;


const suite: BenchSuite = {
  name: 'payment-service',
  description: 'Real-time payments/s over HTTP with signature, whitelist and an atomic debit-cap reservation on one contended row, vs plain single-row UPDATE transactions/s on the same database.',
  async run(): Promise<BenchSuiteResult> {
    const databaseUrl = await benchDatabase('payment_service');

    // Baseline: BEGIN; UPDATE one row; COMMIT — the same contention shape as the cap row, nothing else.
    const pool = new Pool({ connectionString: databaseUrl, max: 10 });
    await pool.query('CREATE TABLE IF NOT EXISTS public.bench_counter (id int PRIMARY KEY, n numeric(16,2) NOT NULL)');
    await pool.query('INSERT INTO public.bench_counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0');
    const baseline = await measureThroughput(
      async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE public.bench_counter SET n = n + 1.00 WHERE id = 1');
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
      { concurrency: CONCURRENCY, durationMs: BASELINE_MS },
    );
    await pool.end();

    // The service, with a local issuer standing in for auth-service's JWKS.
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const jwks = createServer((_request, response) => response.end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(jwks.address() as { port: number }).port}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-bench-'));
    const config = loadConfig('payment-service', paymentConfigSchema, {
      NODE_ENV: 'production', LOG_LEVEL: 'silent', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '10', BROKER: 'inprocess',
      AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/.well-known/jwks.json`, SETTLEMENT_AUTO_CREDIT: 'false', PAYMENT_WRITE_CONCURRENCY: '8',
      ...standaloneEnvironment(dataDir),
    });
    const service = await startService(paymentServiceDefinition, config, { port: 0 });
    try {
      const code = `BENCH${randomBytes(3).toString('hex').toUpperCase()}`;
      const clientId = `bench-${code}`;
      const username = `${code}@999`;
      const debtorAccount = '0010055573200018';
      const credentials = generateMemberCredentials({ commonName: code, passphrase: 'bench-passphrase', days: 2 });
      const members = service.app.get<MemberRegistry>(MEMBER_REGISTRY);
      const member = await members.upsertMember({ code, name: code, kind: 'NON_BANK', oauthClientId: clientId, userId: username });
      await members.addCertificate(member.id, credentials.certificatePem);
      await service.app.get<WhitelistRepository>(WHITELIST_REPOSITORY).add({
        memberId: member.id, bankId: '2501', branchId: '1', accountId: debtorAccount, accountName: code, letterNumber: 'BENCH', letterDate: '2026-01-01',
        letterIssuingBank: '2501', letterDocumentHash: '0'.repeat(64), effectiveFrom: new Date(0), recordedBy: 'bench',
      });
      const caps = service.app.get<DebitCapRepository>(DEBIT_CAP_REPOSITORY);
      await caps.setCap({ memberId: member.id, bankId: '2501', capAmount: '99999999999999.00', updatedBy: 'bench' });
      await publishEvent(service.deps.broker, AuthClientUpdatedV1, { clientId, revision: 1, status: 'ACTIVE', allowedCidrs: ['127.0.0.1/32', '::1/128'] }, { producer: 'bench' });
      const token = await new SignJWT({ client_id: clientId, scope: 'read write trust' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).setIssuer(issuer).setAudience('npi').setSubject(username).setJti(randomUUID()).setIssuedAt().setExpirationTime('10m')
        .sign(privateKey as CryptoKey);

      // Members sign on their side: bodies are signed before the clock starts.
      const body = (amount: number) => {
        const batchId = `B${randomBytes(8).toString('hex')}`;
        const tokenString = `${batchId},2501,1,${debtorAccount},${amount.toFixed(2)},NPR,${batchId}-1,4501,23,001011160000374,${amount.toFixed(2)},${username}`;
        return JSON.stringify({
          cipsBatchDetail: { batchId, batchAmount: amount, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: code, debtorAccount },
          cipsTransactionDetailList: [{ instructionId: `${batchId}-1`, endToEndId: 'bench', amount, creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram', creditorAccount: '001011160000374' }],
          token: cryptoSign('sha256', Buffer.from(tokenString), { key: credentials.privateKeyPem, padding: cryptoConstants.RSA_PKCS1_PADDING }).toString('base64'),
        });
      };
      const post = (payload: string) =>
        fetch(`${service.url}/api/postcipsbatch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: payload });

      const bodies = Array.from({ length: 8_000 }, () => body(1));
      // Warm up (JIT, pools, the allowlist event) right before measuring, so no idle keep-alive
      // connection is closed under the client while the bodies are being signed.
      for (let i = 0; i < 20; i++) await (await post(body(1))).arrayBuffer();
      let next = 0;
      let failures = 0;
      let firstError: string | undefined;
      const payments = await measureThroughput(
        async () => {
          const payload = bodies[next++ % bodies.length];
          try {
            const response = await post(payload);
            if (response.status !== 200) failures++;
            await response.arrayBuffer();
          } catch (error) {
            failures++;
            firstError ??= String((error as { cause?: unknown }).cause ?? error);
          }
        },
        { concurrency: CONCURRENCY, durationMs: PAYMENTS_MS },
      );

      // Burst past the cap: BURST concurrent payments of 10.00, the cap allows BURST_ALLOWED of them.
      const session = settlementSessionAt(new Date(), { timeZone: config.SETTLEMENT_TIMEZONE, cutoffs: config.SETTLEMENT_SESSION_CUTOFFS });
      const cap = await caps.find(member.id, '2501');
      if (!cap) throw new Error('bench cap missing');
      const usedBefore = await caps.used(cap.id, session);
      const capAmount = (Number(usedBefore.replace('.', '')) + BURST_ALLOWED * 1000) / 100;
      await caps.setCap({ memberId: member.id, bankId: '2501', capAmount: capAmount.toFixed(2), updatedBy: 'bench' });
      const burstBodies = Array.from({ length: BURST }, () => body(10));
      // 200 in flight at once (more overflows the HTTP listen backlog, which is not what is measured).
      const answers: number[] = [];
      let cursor = 0;
      await Promise.all(
        Array.from({ length: 200 }, async () => {
          while (cursor < burstBodies.length) {
            const payload = burstBodies[cursor++];
            try {
              const response = await post(payload);
              answers.push(response.status);
              await response.arrayBuffer();
            } catch {
              answers.push(0);
            }
          }
        }),
      );
      const accepted = answers.filter((status) => status === 200).length;
      const usedAfter = await caps.used(cap.id, session);
      const recorded = await service.app.get<BatchRepository>(BATCH_REPOSITORY).acceptedTotal(cap.id, session);
      const overshoot = Math.max(0, accepted - BURST_ALLOWED) + (Number(usedAfter) > capAmount ? 1 : 0) + (recorded !== usedAfter ? 1 : 0);

      return {
        suite: 'payment-service',
        description: suite.description,
        measurements: [
          { name: 'single-row UPDATE transactions (baseline)', value: baseline.opsPerSecond, unit: 'tx/s', extra: { concurrency: CONCURRENCY, operations: baseline.operations } },
          {
            name: 'real-time payments, cap reserved on one row',
            value: payments.opsPerSecond,
            unit: 'payments/s',
            baseline: 'single-row UPDATE transactions (baseline)',
            extra: { concurrency: CONCURRENCY, operations: payments.operations, nonSuccess: failures, ...(firstError ? { firstError } : {}) },
          },
          {
            name: `burst of ${BURST} at a cap allowing ${BURST_ALLOWED}`,
            value: accepted,
            unit: 'accepted',
            extra: { allowed: BURST_ALLOWED, overshoot, capAmount: capAmount.toFixed(2), used: usedAfter, recordedAccepted: recorded },
          },
        ],
        notes: [
          'Each payment: JWT verification, source IP allowlist, SHA256withRSA verification, whitelist and bank lookups, one autocommit SQL statement (claim batchId, conditional UPDATE of the cap row, batch, transactions, answer and outbox rows), two NPI answer signatures built before it (accepted and refused variants).',
          `Overshoot must be 0: ${overshoot === 0 ? 'it is' : 'IT IS NOT'}.`,
        ],
      };
    } finally {
      await service.stop();
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default suite;
