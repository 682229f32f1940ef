/**
 * Fault tier: NPI payments and OAuth. auth-service and payment-service run as their own processes
 * (main.ts) against a PostgreSQL cluster and a Kafka broker of this test's own, which the test stops
 * and restarts while members post signed real-time batches (OAuth access token from auth-service,
 * renewed with the refresh grant throughout). Shared infrastructure is never touched; each case is
 * bounded in time.
 *
 * Proven: Kafka away 15 s: both services stay Ready and keep answering; every batch answered 000 is
 * applied exactly once (one batch, credited ACSC by the settlement consumer over Kafka, one
 * payments.transaction.settled.v1). PostgreSQL away: payment-service answers 503 in NCHL's technical
 * format (E999), auth-service 503 `temporarily_unavailable`, never another 5xx; both turn not-ready
 * and then ready by themselves (time measured); nothing answered 000 is missing or applied twice.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { generateMemberCredentials } from '@npi/signature-token';
import { realTimeBody } from '../../apps/payment-service/test/support/payment-harness';
import type { TestMember } from '../../apps/payment-service/test/support/payment-harness';
import { applyMigrations } from '../../tools/db/migrate';
import { NpiLoad } from '../../tools/testing/faults/npi-load';
import { throughOutage } from '../../tools/testing/faults/outage';
import { freePort } from '../../tools/testing/faults/ports';
import { PrivateKafka } from '../../tools/testing/faults/private-kafka';
import { PrivatePostgres } from '../../tools/testing/faults/private-postgres';
import { ServiceProcess, sleep } from '../../tools/testing/faults/service-process';

jest.setTimeout(240_000);

const figures = { requests: 0, paymentsAccepted: 0, faultsSurvived: 0, lost: 0, duplicated: 0, unexpected5xx: 0, answered503: 0, paymentReadyAfterDatabaseMs: 0, authReadyAfterDatabaseMs: 0 };

describe('fault tier: NPI payments (payment-service) and OAuth (auth-service) under infrastructure faults', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-faults-payments-'));
  let pg: PrivatePostgres;
  let kafka: PrivateKafka;
  let databaseUrl: string;
  let auth: ServiceProcess;
  let payment: ServiceProcess;
  let load: NpiLoad;
  let member: Pick<TestMember, 'code' | 'username' | 'privateKeyPem' | 'debtorAccount'>;
  const admin = { clientId: `admin-${randomBytes(4).toString('hex')}`, clientSecret: randomBytes(32).toString('base64url'), username: 'root', password: randomBytes(16).toString('base64url') };
  const paymentAdminToken = randomBytes(32).toString('base64url');
  const issuer = 'http://auth.npi.fault.test';

  const base = () => ({ NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '5', BROKER: 'kafka', KAFKA_BROKERS: kafka.brokers, SHUTDOWN_GRACE_MS: '10000', BROKER_HEALTH_INTERVAL_MS: '1000' });

  async function json(url: string, init: { method?: string; token?: string; body?: unknown; form?: Record<string, string>; basic?: { id: string; secret: string } } = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.basic) headers.authorization = `Basic ${Buffer.from(`${init.basic.id}:${init.basic.secret}`).toString('base64')}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.form ? new URLSearchParams(init.form).toString() : init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await attempt().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  /**
   * Every batch answered 000 is in payment-service's record once, credited (ACSC) by the settlement
   * consumer that reads payments.batch.accepted.v1 from Kafka, with exactly one settled event.
   */
  async function expectEveryAcceptedAppliedOnce(timeoutMs = 120_000): Promise<void> {
    const accepted = load.acceptedPayments().map((answer) => answer.batchId as string);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      let rows: Array<{ batch_id: string; batches: number; credited: number; settled_events: number }> = [];
      const pending = () => accepted.length - rows.filter((row) => row.credited === 1).length;
      while (Date.now() < deadline) {
        rows = (
          await db.query(
            `SELECT b.batch_id, count(DISTINCT b.id)::int AS batches,
                    count(*) FILTER (WHERE t.credit_status = 'ACSC')::int AS credited,
                    (SELECT count(*)::int FROM payment.outbox_event o WHERE o.topic = 'payments.transaction.settled.v1' AND o.key = $2 || ':' || b.batch_id) AS settled_events
               FROM payment.batch b JOIN payment."transaction" t ON t.batch_row_id = b.id
              WHERE b.batch_id = ANY($1) GROUP BY b.batch_id`,
            [accepted, member.code],
          )
        ).rows;
        if (pending() === 0) break;
        await sleep(500);
      }
      const found = new Set(rows.map((row) => row.batch_id));
      const lost = accepted.filter((batchId) => !found.has(batchId)).length;
      const notApplied = pending() - lost;
      const twice = rows.filter((row) => row.batches !== 1 || row.credited > 1 || row.settled_events > 1).length;
      figures.lost = Math.max(figures.lost, lost + notApplied);
      figures.duplicated = Math.max(figures.duplicated, twice);
      if (lost + notApplied > 0) {
        const outbox = await db.query(`SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished, count(*)::int AS total FROM payment.outbox_event`);
        process.stdout.write(`fault tier (payments): ${lost} accepted batches missing, ${notApplied} not credited; outbox ${JSON.stringify(outbox.rows[0])}\n`);
      }
      expect({ lost, notApplied, twice }).toEqual({ lost: 0, notApplied: 0, twice: 0 });
    } finally {
      await db.end();
    }
  }

  function countAnswers(from: number): void {
    figures.unexpected5xx += load.answers.filter((answer) => answer.startedAt >= from && answer.status >= 500 && answer.status !== 503).length;
  }

  beforeAll(async () => {
    [pg, kafka] = await Promise.all([PrivatePostgres.create(), PrivateKafka.create()]);
    const setup = new Client({ connectionString: pg.url() });
    await setup.connect();
    await setup.query('CREATE DATABASE npi');
    await setup.end();
    databaseUrl = pg.url('npi');
    await applyMigrations({ databaseUrl, log: () => undefined });

    const keyFile = path.join(dir, 'auth-signing.pem');
    fs.writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    auth = new ServiceProcess(
      'auth-service',
      await freePort(),
      {
        ...base(),
        AUTH_ISSUER: issuer,
        AUTH_SIGNING_KEY_FILE: keyFile,
        AUTH_SCRYPT_LOG_N: '15',
        AUTH_ADMIN_CLIENT_ID: admin.clientId,
        AUTH_ADMIN_CLIENT_SECRET: admin.clientSecret,
        AUTH_ADMIN_USERNAME: admin.username,
        AUTH_ADMIN_PASSWORD: admin.password,
        AUTH_ADMIN_CIDRS: '127.0.0.1/32,::1/128',
      },
      path.join(dir, 'auth-service.log'),
    );
    await auth.start();
    const npiPassphrase = randomBytes(18).toString('base64url');
    const npi = generateMemberCredentials({ commonName: 'NPI payment-service (fault tier)', passphrase: npiPassphrase, days: 30 });
    payment = new ServiceProcess(
      'payment-service',
      await freePort(),
      {
        ...base(),
        AUTH_ISSUER: issuer,
        AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
        NPI_SIGNING_PFX_BASE64: npi.pfx.toString('base64'),
        NPI_SIGNING_PFX_PASSPHRASE: npiPassphrase,
        PAYMENT_ADMIN_TOKEN: paymentAdminToken,
        SETTLEMENT_AUTO_CREDIT: 'true',
      },
      path.join(dir, 'payment-service.log'),
    );
    await payment.start();

    // The operator sets the member up as in production: OAuth client and user at auth-service,
    // member, certificate, whitelisted debtor account and debit cap at payment-service.
    const adminGrant = await eventually('admin token', async () => {
      const answer = await json(`${auth.url}/oauth/token`, { method: 'POST', basic: { id: admin.clientId, secret: admin.clientSecret }, form: { grant_type: 'password', username: admin.username, password: admin.password } });
      return answer.status === 200 ? (answer.body.access_token as string) : undefined;
    });
    const code = `FLT${randomBytes(2).toString('hex').toUpperCase()}`;
    const client = await json(`${auth.url}/admin/clients`, { method: 'POST', token: adminGrant, body: { clientId: `fault-${code.toLowerCase()}`, allowedCidrs: ['127.0.0.1/32', '::1/128'], memberCode: code } });
    expect(client.status).toBe(201);
    const username = `${code}@999`;
    const user = await json(`${auth.url}/admin/clients/${client.body.clientId}/users`, { method: 'POST', token: adminGrant, body: { username } });
    expect(user.status).toBe(201);
    const credentials = generateMemberCredentials({ commonName: code, passphrase: randomBytes(12).toString('base64url'), days: 30 });
    member = { code, username, privateKeyPem: credentials.privateKeyPem, debtorAccount: '0010055573200018' };
    const operator = (method: string, pathname: string, body: unknown) => json(`${payment.url}${pathname}`, { method, token: paymentAdminToken, body });
    expect((await operator('POST', '/admin/members', { code, name: 'Fault Wallet', kind: 'NON_BANK', oauthClientId: client.body.clientId, userId: username, certificatePem: credentials.certificatePem })).status).toBe(200);
    expect((await operator('POST', `/admin/members/${code}/whitelist`, {
      bankId: '2501', branchId: '1', accountId: member.debtorAccount, accountName: 'Fault Wallet Pool', letterNumber: 'HBL/DAL/2026/009', letterDate: '2026-11-01',
      letterIssuingBank: 'Himalayan Bank Limited', letterDocumentHash: 'd'.repeat(64), effectiveFrom: '2026-01-01T00:00:00Z', recordedBy: 'nchl-ops',
    })).status).toBe(201);
    expect((await operator('PUT', `/admin/members/${code}/debit-caps`, { bankId: '2501', capAmount: '100000000.00', updatedBy: 'nchl-ops' })).status).toBe(200);

    const grant = await json(`${auth.url}/oauth/token`, { method: 'POST', basic: { id: client.body.clientId, secret: client.body.clientSecret }, form: { grant_type: 'password', username, password: user.body.password } });
    expect(grant.status).toBe(200);
    load = new NpiLoad({
      paymentUrl: payment.url,
      authUrl: auth.url,
      client: { clientId: client.body.clientId, clientSecret: client.body.clientSecret },
      refreshToken: grant.body.refresh_token,
      accessToken: grant.body.access_token,
      body: (batchId) => realTimeBody(member as TestMember, { batchId, amount: 1 }),
    });
    // payment-service learns the client's source CIDRs over Kafka (auth.client.updated.v1).
    await eventually('first payment accepted', async () => ((await load.postBatch()).code === '000' ? true : undefined));
  }, 400_000);

  afterAll(async () => {
    await load?.stop();
    await Promise.all([payment?.stop(), auth?.stop()]);
    await Promise.all([pg?.destroy(), kafka?.destroy()]);
    figures.requests = load?.answers.length ?? 0;
    figures.paymentsAccepted = load?.acceptedPayments().length ?? 0;
    process.stdout.write(
      `fault tier summary (payments, OAuth): load held ${figures.requests} requests (${figures.paymentsAccepted} payments accepted), faults survived ${figures.faultsSurvived}, ` +
        `lost ${figures.lost}, duplicated ${figures.duplicated}, 5xx other than 503: ${figures.unexpected5xx}, 503 during outages: ${figures.answered503}, ` +
        `ready again after PostgreSQL returned: payment-service ${figures.paymentReadyAfterDatabaseMs} ms, auth-service ${figures.authReadyAfterDatabaseMs} ms; logs in ${dir}\n`,
    );
  }, 180_000);

  it('Kafka stopped 15 s under load: both stay Ready and keep answering; every accepted payment is applied exactly once', async () => {
    const from = Date.now();
    const outage = await throughOutage({ load, dependency: kafka, services: [payment, auth], warmUpMs: 3_000, outageMs: 15_000 });
    countAnswers(from);
    expect([...outage.readiness[payment.app], ...outage.readiness[auth.app]].filter((status) => status !== 200)).toEqual([]);
    expect(load.between('payment', outage.startedAt, outage.endedAt).filter((answer) => answer.code === '000').length).toBeGreaterThan(0);
    expect(load.between('token', outage.startedAt, outage.endedAt).filter((answer) => answer.status === 200).length).toBeGreaterThan(0);
    expect(figures.unexpected5xx).toBe(0);
    await expectEveryAcceptedAppliedOnce();
    figures.faultsSurvived += 1;
  });

  it('PostgreSQL stopped under load: 503 E999 and temporarily_unavailable, not-ready then ready by itself, nothing answered 000 missing', async () => {
    const from = Date.now();
    const outage = await throughOutage({ load, dependency: pg, services: [payment, auth], warmUpMs: 2_000, outageMs: 8_000, waitReady: true });
    figures.paymentReadyAfterDatabaseMs = outage.readyAfterMs[payment.app];
    figures.authReadyAfterDatabaseMs = outage.readyAfterMs[auth.app];
    countAnswers(from);
    expect(outage.readiness[payment.app]).toContain(503);
    expect(outage.readiness[auth.app]).toContain(503);

    const payments = load.between('payment', outage.startedAt + 500, outage.endedAt).filter((answer) => answer.status !== 200);
    const tokens = load.between('token', outage.startedAt + 500, outage.endedAt).filter((answer) => answer.status !== 200);
    figures.answered503 += [...payments, ...tokens].filter((answer) => answer.status === 503).length;
    expect(payments.length).toBeGreaterThan(0);
    expect(tokens.length).toBeGreaterThan(0);
    for (const answer of payments) expect({ status: answer.status, body: answer.body }).toEqual({ status: 503, body: { responseCode: 'E999', responseDescription: expect.any(String), fieldErrors: [] } });
    for (const answer of tokens) expect({ status: answer.status, error: answer.code }).toEqual({ status: 503, error: 'temporarily_unavailable' });
    expect(figures.unexpected5xx).toBe(0);
    // Both answer again without a restart.
    expect((await load.renewToken()).status).toBe(200);
    expect((await load.postBatch()).code).toBe('000');
    await expectEveryAcceptedAppliedOnce();
    figures.faultsSurvived += 1;
  });
});
