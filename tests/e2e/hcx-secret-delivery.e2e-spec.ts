/**
 * client_secret delivery (seed 002: "via email, SMS, or both"; never in an API answer), end to end
 * against a real SMTP server (smtp-server on 127.0.0.1) and an SMS webhook: the registry API
 * answers without the secret, the delivery outbox retries a refused message until the mail server
 * takes it, and the secret is then found exactly once in the mailbox — not in the database in
 * clear, the API answers or the logs. An operator can re-send; rotation delivers the new secret.
 *
 * Runs on a database of its own: other test files' gateways (file notifier) poll the same delivery
 * outbox in the shared run database and would deliver these rows to their channel instead.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '@npi/observability';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import type { HcxGatewayConfig } from '../../apps/hcx-gateway/src/config';
import { ADMIN_TOKEN, sharedParticipantKeys, startGateway } from '../../apps/hcx-gateway/test/support/hcx-fixtures';
import { dropTestDatabase, prepareTestDatabase } from '../../tools/testing/test-database';

jest.setTimeout(90_000);

interface Mail {
  to: string[];
  raw: string;
}

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;
const secretIn = (text: string) => /client_secret:\r?\n([A-Za-z0-9_-]{43})\r?\n/.exec(text)?.[1];

describe('client_secret delivery by email and SMS', () => {
  const mailbox: Mail[] = [];
  const smsInbox: { to: string; message: string; authorization?: string }[] = [];
  const logLines: string[] = [];
  const bodies: string[] = [];
  const logger = createLogger('hcx-gateway', 'debug', { write: (line: string) => void logLines.push(line) });
  let refuseNext = 1;
  let smtp: SMTPServer;
  let smtpPort: number;
  let sms: http.Server;
  let smsUrl: string;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = (await prepareTestDatabase()).url;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          if (refuseNext > 0) {
            refuseNext -= 1;
            callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
            return;
          }
          // Decoded as a mail client would (quoted-printable soft line breaks joined).
          mailbox.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: raw.replace(/=\r?\n/g, '') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    sms = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        smsInbox.push({ ...(JSON.parse(text) as { to: string; message: string }), authorization: req.headers.authorization });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => sms.listen(0, '127.0.0.1', resolve));
    smsUrl = `http://127.0.0.1:${(sms.address() as AddressInfo).port}/sms`;
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    await new Promise<void>((resolve) => sms?.close(() => resolve()));
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  }, 60_000);

  const createBody = (name: string, email: string) => ({
    participant_name: name,
    roles: ['provider'],
    primaryEmail: email,
    primaryMobile: '+9779800000001',
    endpoint_url: 'http://127.0.0.1:9/hcx',
    encryption_cert: sharedParticipantKeys().certificatePem,
    status: ['Active'],
  });

  async function create(gateway: RunningService<HcxGatewayConfig>, name: string, email: string): Promise<string> {
    const created = await request(gateway.url).post('/v0.8/participant/create').set('authorization', `Bearer ${ADMIN_TOKEN}`).send(createBody(name, email)).expect(200);
    bodies.push(created.text);
    return created.body.participant_code as string;
  }

  async function expectNowhereButMailbox(gateway: RunningService<HcxGatewayConfig>, secret: string): Promise<void> {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const tables = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'hcx'`);
      expect(tables.rows.length).toBeGreaterThan(5);
      for (const { table_name: table } of tables.rows) {
        const found = await db.query(`SELECT count(*)::int AS n FROM hcx."${table}" t WHERE t::text LIKE '%' || $1 || '%'`, [secret]);
        expect({ table, n: found.rows[0].n }).toEqual({ table, n: 0 });
      }
    } finally {
      await db.end();
    }
    // The answers of every participant-facing read, too.
    const key = await request(gateway.url).post('/token/generate').send({ client_id: 'x', client_secret: 'y' });
    bodies.push(key.text);
    expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
    expect(logLines.length).toBeGreaterThan(5);
    expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
  }

  it('email: the registry answer has no secret; a refused message is retried; the secret is in the mailbox exactly once and nowhere else', async () => {
    const gateway = await startGateway(
      { DATABASE_URL: databaseUrl, HCX_SECRET_NOTIFIER: 'email', HCX_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, HCX_SMTP_FROM: 'HCX gateway <hcx@gateway.test>', HCX_SECRET_DELIVERY_BACKOFF_MS: '100' },
      { logger },
    );
    try {
      const code = await create(gateway, 'Mail Hospital', 'claims@hospital.test');
      expect(JSON.parse(bodies[0])).toEqual({ participant_code: code });
      const mail = await eventually(() => {
        const found = mailbox.find((m) => m.to.includes('claims@hospital.test'));
        if (!found) throw new Error('no mail yet');
        return found;
      }, { timeoutMs: 30_000 });
      expect(refuseNext).toBe(0); // the first try was refused (451) and the outbox retried
      expect(mail.raw).toMatch(new RegExp(`client_id:\\r?\\n${code}\\r?\\n`));
      const secret = secretIn(mail.raw);
      expect(secret).toBeDefined();
      const token = await request(gateway.url).post('/token/generate').send({ client_id: code, client_secret: secret });
      expect(token.status).toBe(200);
      const read = await request(gateway.url).get(`/v0.8/participant/read/${encodeURIComponent(code)}`).set('authorization', `Bearer ${token.body.access_token}`).expect(200);
      bodies.push(read.text);
      const admin = await request(gateway.url).get(`/participants/${encodeURIComponent(code)}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
      bodies.push(admin.text);

      expect(occurrences(mailbox.map((m) => m.raw).join('\n'), secret as string)).toBe(1);
      await expectNowhereButMailbox(gateway, secret as string);
      const rows = await gateway.deps.prisma.$queryRawUnsafe<{ status: string; attempts: number }[]>(`SELECT status, attempts FROM hcx.secret_delivery WHERE participant_code = $1`, code);
      expect(rows).toEqual([{ status: 'delivered', attempts: 2 }]);

      // An operator re-sends the same secret; a rotation delivers a new one (and neither is answered).
      const resend = await request(gateway.url).post(`/participants/${encodeURIComponent(code)}/secret/resend`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(202);
      expect(resend.body).toEqual({ participant_code: code, secret_delivery: 'queued' });
      await eventually(() => expect(occurrences(mailbox.map((m) => m.raw).join('\n'), secret as string)).toBe(2), { timeoutMs: 15_000 });
      const rotated = await request(gateway.url).post(`/participants/${encodeURIComponent(code)}/secret/rotate`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
      expect(rotated.body).toEqual({ participant_code: code, secret_delivery: 'queued' });
      const fresh = await eventually(() => {
        const next = mailbox.map((m) => secretIn(m.raw)).filter((s) => s && s !== secret);
        if (next.length !== 1) throw new Error('no new secret yet');
        return next[0] as string;
      }, { timeoutMs: 15_000 });
      await request(gateway.url).post('/token/generate').send({ client_id: code, client_secret: secret }).expect(401);
      await request(gateway.url).post('/token/generate').send({ client_id: code, client_secret: fresh }).expect(200);
    } finally {
      await gateway.stop();
    }
  });

  it('SMS: the webhook gets {to, message} with the secret and the bearer token', async () => {
    const token = 'sms-webhook-token-0123456789';
    const gateway = await startGateway({ DATABASE_URL: databaseUrl, HCX_SECRET_NOTIFIER: 'sms', HCX_SMS_WEBHOOK_URL: smsUrl, HCX_SMS_WEBHOOK_TOKEN: token }, { logger });
    try {
      const code = await create(gateway, 'SMS Hospital', 'sms@hospital.test');
      const message = await eventually(() => {
        const found = smsInbox.find((m) => m.message.includes(`client_id:\n${code}\n`));
        if (!found) throw new Error('no SMS yet');
        return found;
      }, { timeoutMs: 30_000 });
      expect(message.to).toBe('+9779800000001');
      expect(message.authorization).toBe(`Bearer ${token}`);
      const secret = secretIn(message.message) as string;
      await request(gateway.url).post('/token/generate').send({ client_id: code, client_secret: secret }).expect(200);
      await expectNowhereButMailbox(gateway, secret);
    } finally {
      await gateway.stop();
    }
  });
});
