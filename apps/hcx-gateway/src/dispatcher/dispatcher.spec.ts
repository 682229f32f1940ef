import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { ApiCallRecord, ApiCallRepository, ParticipantRecord } from '@npi/hcx/data-access';
import { ManualClock } from '@npi/service-runtime';
import { Dispatcher } from './dispatcher';

function participant(code: string, endpointUrl: string): ParticipantRecord {
  return { participantCode: code, name: code, roles: ['provider'], status: 'Active', primaryEmail: 'a@b.c', primaryMobile: null, endpointUrl, encryptionCert: '', signingCert: '', secretCiphertext: '', secretKekId: 'k', secretVersion: 1, profile: {}, createdAt: new Date(), updatedAt: new Date() };
}

describe('Dispatcher', () => {
  let server: http.Server;
  let url: string;
  const received: { path: string; body: Record<string, unknown>; authorization?: string }[] = [];
  let failPaths: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown>, authorization: req.headers.authorization });
        res.writeHead(failPaths.includes(req.url ?? '') ? 503 : 202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function setup(recipientPath: string) {
    const call: ApiCallRecord = { id: randomUUID(), senderCode: 'prov', recipientCode: 'pay', apiCallId: randomUUID(), correlationId: randomUUID(), workflowId: null, apiPath: '/coverageeligibility/check', hcxStatus: null, headers: {}, deliveryStatus: 'accepted', attempts: 0, lastError: null, acceptedAt: new Date(), deliveredAt: null };
    const deadLetters: { reason: string; attempts: number; callbackStatus: string }[] = [];
    const apiCalls = {
      deliveryStatus: async () => call.deliveryStatus,
      recordAttempt: async () => undefined,
      markDelivered: async () => {
        const first = call.deliveryStatus === 'accepted';
        call.deliveryStatus = 'delivered';
        return first;
      },
      deadLetter: async (_id: string, reason: string, attempts: number, callbackStatus: string) => {
        deadLetters.push({ reason, attempts, callbackStatus });
        call.deliveryStatus = 'dead_lettered';
        return true;
      },
    } as unknown as ApiCallRepository;
    const participants = { get: async (code: string) => participant(code, code === 'pay' ? `${url}${recipientPath}` : `${url}/sender`) };
    const signer = { tokenFor: async () => 'header.payload.signature' };
    const sleeps: number[] = [];
    const dispatcher = new Dispatcher(apiCalls, participants, signer, new ManualClock(), pino({ level: 'silent' }), { instanceId: 'hcx-1', timeoutMs: 1000, retries: 3, backoffMs: 100 }, async (ms) => {
      sleeps.push(ms);
    });
    const routed = { requestId: call.id, apiPath: call.apiPath, senderCode: 'prov', recipientCode: 'pay', apiCallId: call.apiCallId, correlationId: call.correlationId, payload: 'a.b.c.d.e', acceptedAt: new Date().toISOString() };
    return { call, deadLetters, dispatcher, routed, sleeps };
  }

  it('delivers once with the HCX bearer token, and a redelivery of the same event changes nothing', async () => {
    const { dispatcher, routed, call } = setup('/ok');
    await dispatcher.handle(routed);
    await dispatcher.handle(routed);
    const hits = received.filter((r) => r.path === '/ok/coverageeligibility/check' && r.body.payload === 'a.b.c.d.e');
    expect(hits).toHaveLength(1);
    expect(hits[0].authorization).toBe('Bearer header.payload.signature');
    expect(call.deliveryStatus).toBe('delivered');
  });

  it('records a delivery once the database is back instead of delivering it again (the recipient gets it once)', async () => {
    const { dispatcher, routed, call, sleeps } = setup('/ok-db-away');
    const markDelivered = (dispatcher as unknown as { apiCalls: ApiCallRepository }).apiCalls.markDelivered.bind(undefined);
    let refused = 0;
    (dispatcher as unknown as { apiCalls: ApiCallRepository }).apiCalls.markDelivered = async (...args) => {
      if (refused < 2) {
        refused += 1;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      return markDelivered(...args);
    };
    await dispatcher.handle(routed);
    expect(received.filter((r) => r.path === '/ok-db-away/coverageeligibility/check')).toHaveLength(1);
    expect(call.deliveryStatus).toBe('delivered');
    expect(sleeps).toEqual([100, 200]);
  });

  it('joins a delivery that is still running when the same routed request is read again (the recipient gets it once)', async () => {
    const { dispatcher, routed, call } = setup('/ok-twice');
    const first = await dispatcher.accept(routed);
    const second = await dispatcher.accept(routed);
    await Promise.all([first?.settled, second?.settled]);
    expect(received.filter((r) => r.path === '/ok-twice/coverageeligibility/check')).toHaveLength(1);
    expect(call.deliveryStatus).toBe('delivered');
  });

  it('hands a delivery off before its status is read, and keeps first tries of a correlation in order when the reads finish out of order', async () => {
    const { dispatcher, routed, call } = setup('/ordered');
    const later = { ...routed, requestId: randomUUID(), apiCallId: randomUUID(), payload: 'second' };
    const reads = new Map<string, () => void>();
    const apiCalls = (dispatcher as unknown as { apiCalls: ApiCallRepository }).apiCalls;
    apiCalls.deliveryStatus = (id: string) => new Promise((resolve) => reads.set(id, () => resolve('accepted')));
    apiCalls.markDelivered = async () => true;
    const first = await dispatcher.accept(routed);
    const second = await dispatcher.accept(later);
    expect(reads.size).toBe(2);
    reads.get(later.requestId)?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.filter((r) => r.path === '/ordered/coverageeligibility/check')).toHaveLength(0);
    reads.get(call.id)?.();
    await Promise.all([first?.settled, second?.settled]);
    expect(received.filter((r) => r.path === '/ordered/coverageeligibility/check').map((r) => r.body.payload)).toEqual(['a.b.c.d.e', 'second']);
  });

  it('waits for the database when the status read finds it away, then delivers once', async () => {
    const { dispatcher, routed, call, sleeps } = setup('/read-db-away');
    const apiCalls = (dispatcher as unknown as { apiCalls: ApiCallRepository }).apiCalls;
    let refused = 0;
    apiCalls.deliveryStatus = async () => {
      if (refused < 1) {
        refused += 1;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      return call.deliveryStatus;
    };
    await dispatcher.handle(routed);
    expect(received.filter((r) => r.path === '/read-db-away/coverageeligibility/check')).toHaveLength(1);
    expect(call.deliveryStatus).toBe('delivered');
    expect(sleeps).toEqual([100]);
  });

  it('passes a freed recipient slot to the longest waiting delivery, never to one arriving meanwhile', async () => {
    const apiCalls = {} as ApiCallRepository;
    const dispatcher = new Dispatcher(apiCalls, { get: async () => null }, { tokenFor: async () => 't' }, new ManualClock(), pino({ level: 'silent' }), { instanceId: 'hcx-1', timeoutMs: 1000, retries: 0, backoffMs: 1, maxInFlightPerRecipient: 1 });
    const slot = (dispatcher as unknown as { withRecipientSlot: (code: string, work: () => Promise<void>) => Promise<void> }).withRecipientSlot.bind(dispatcher);
    const order: string[] = [];
    let releaseFirst = () => undefined as void;
    const first = slot('pay', () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const waiting = slot('pay', async () => void order.push('waiting'));
    let arriving: Promise<void> | undefined;
    releaseFirst();
    // Runs after the first delivery gave its slot up and before the waiting one's continuation.
    void Promise.resolve().then(() => (arriving = slot('pay', async () => void order.push('arriving'))));
    await Promise.all([first, waiting]);
    await arriving;
    expect(order).toEqual(['waiting', 'arriving']);
  });

  it('retries 3 times with exponential backoff, then dead-letters and calls the sender back with ERR_RECIPIENT_NOT_AVAILABLE', async () => {
    failPaths = ['/down/coverageeligibility/check'];
    const { dispatcher, routed, deadLetters, sleeps } = setup('/down');
    await dispatcher.handle(routed);
    expect(received.filter((r) => r.path === '/down/coverageeligibility/check')).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(deadLetters).toEqual([{ reason: 'HTTP 503', attempts: 4, callbackStatus: 'delivered' }]);
    const callback = received.find((r) => r.path === '/sender/coverageeligibility/on_check' && r.body['x-hcx-correlation_id'] === routed.correlationId);
    expect(callback?.body).toMatchObject({ 'x-hcx-sender_code': 'hcx-1', 'x-hcx-recipient_code': 'prov', 'x-hcx-status': 'response.error', 'x-hcx-error_details': { code: 'ERR_RECIPIENT_NOT_AVAILABLE' } });
  });
});
