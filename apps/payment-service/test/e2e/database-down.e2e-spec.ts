/**
 * The database becomes unreachable while payment-service runs: every NPI API answers 503 with
 * NCHL's technical format and E999 (retry later), never a 500 or a hang; once the database is back,
 * the same calls answer 200 again. The shared PostgreSQL is never stopped: the service reaches it
 * through a TCP relay this test owns, and "unreachable" is that relay closing every connection and
 * refusing new ones.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { expectSameShape, eventually } from '@npi/testing';
import { NCHL_SAMPLES } from '../../src/npi/nchl-samples';
import { announceClient, realTimeBody, registerMember, startLocalIssuer, startPaymentService } from '../support/payment-harness';
import type { LocalIssuer, PaymentUnderTest, TestMember } from '../support/payment-harness';

jest.setTimeout(60_000);

/** A TCP relay to PostgreSQL that can cut every connection and refuse new ones. */
async function startRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore: () => void (open = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('payment-service with its database unreachable', () => {
  let issuer: LocalIssuer;
  let payment: PaymentUnderTest;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let token: string;
  let member: TestMember;

  beforeAll(async () => {
    const database = new URL(process.env.DATABASE_URL as string);
    relay = await startRelay({ host: database.hostname, port: Number(database.port || 5432) });
    const viaRelay = new URL(database.toString());
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    issuer = await startLocalIssuer();
    payment = await startPaymentService({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl }, { extraEnv: { DATABASE_URL: viaRelay.toString() } });
    member = await registerMember(payment.service);
    await announceClient(payment.service, member.clientId, ['127.0.0.1/32', '::1/128']);
    token = await issuer.issue({ clientId: member.clientId, username: member.username });
    await eventually(async () => {
      expect((await request(payment.service.url).get('/api/debit-cap/details').set('authorization', `Bearer ${token}`)).status).toBe(200);
    });
  }, 90_000);

  afterAll(async () => {
    relay?.restore();
    await payment?.service.stop();
    await issuer?.close();
    await relay?.close();
  }, 30_000);

  it('answers 503 E999 in the technical format on every kind of NPI API, and 200 again once the database is back', async () => {
    const calls: [string, string, object?][] = [
      ['get', '/api/debit-cap/details'],
      ['get', '/api/bank-account/details'],
      ['get', '/api/getbranchlist/2501'],
      ['get', '/api/getcipsbanklist'],
      ['post', '/api/getcipstxnlistbybatchid', { batchId: 'ANY-1' }],
      // Well-formed: a malformed body is refused (E007) before anything needs the database.
      ['post', '/api/postcipsbatch', realTimeBody(member, { batchId: 'DOWN-1' })],
    ];
    relay.cut();
    for (const [method, path, body] of calls) {
      const call = method === 'get' ? request(payment.service.url).get(path) : request(payment.service.url).post(path).send(body);
      const answer = await call.set('authorization', `Bearer ${token}`);
      expect([path, answer.status, answer.body.responseCode]).toEqual([path, 503, 'E999']);
      expectSameShape(NCHL_SAMPLES.technicalError, answer.body, { allowExtra: ['token'] });
    }
    const malformed = await request(payment.service.url).post('/api/postcipsbatch').send({ cipsBatchDetail: { batchId: 'DOWN-2' } }).set('authorization', `Bearer ${token}`);
    expect([malformed.status, malformed.body.responseCode]).toEqual([400, 'E007']);
    relay.restore();
    await eventually(async () => {
      expect((await request(payment.service.url).get('/api/debit-cap/details').set('authorization', `Bearer ${token}`)).status).toBe(200);
    }, { timeoutMs: 30_000 });
  });
});
