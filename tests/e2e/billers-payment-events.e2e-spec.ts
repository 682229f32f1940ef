/**
 * Over the real Kafka broker: a Billers session prepares a bill and session-service
 * publishes `billers.bill.prepared.v1` through its outbox; this test plays payment-service, reads
 * it, answers `payments.billpay.completed.v1`, and the session becomes COMPLETED (idempotently).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Client } from 'pg';
import { BillersBillPreparedV1, PaymentsBillpayCompletedV1, PaymentsDirectoryChangedV1 } from '@npi/kafka-contracts';
import type { EventData, EventEnvelope } from '@npi/kafka-contracts';
import { KafkaBroker, publishEvent, subscribeToEvent } from '@npi/messaging';
import type { Subscription } from '@npi/messaging';
import type { RunningService } from '@npi/service-runtime';
import {
  billersKeys,
  hostApp,
  launchPath,
  launchQuery,
  openNpiObject,
  registerHostApp,
  startSessionService,
} from '../../apps/session-service/test/support/billers-harness';
import type { BillersKeysForTest, HostApp } from '../../apps/session-service/test/support/billers-harness';

type Prepared = EventData<typeof BillersBillPreparedV1>;
const ORIGIN = 'https://wallet.example.com';

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 120): Promise<T> {
  for (let i = 0; i < attempts; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('billers.bill.prepared.v1 and payments.billpay.completed.v1 over Kafka', () => {
  let keys: BillersKeysForTest;
  let service: RunningService;
  let host: HostApp;
  let billerCodes: string[];
  let paymentSide: KafkaBroker;
  let subscription: Subscription;
  const received = new Map<string, EventEnvelope<Prepared>>();

  beforeAll(async () => {
    keys = billersKeys();
    service = await startSessionService(keys);
    host = hostApp([ORIGIN]);
    billerCodes = await registerHostApp(service, keys, host);
    paymentSide = new KafkaBroker({ brokers: (process.env.KAFKA_BROKERS ?? '').split(','), clientId: `payment-side-${randomUUID().slice(0, 8)}` });
    subscription = await subscribeToEvent(paymentSide, {
      groupId: `test.payment-side.${randomUUID()}`,
      contract: BillersBillPreparedV1,
      fromBeginning: true,
      handler: async (event) => {
        received.set(event.data.sessionId, event);
      },
    });
  }, 90_000);
  afterAll(async () => {
    await subscription?.close();
    await paymentSide?.close();
    await service?.stop();
  }, 30_000);

  it('publishes the prepared bill and completes the session when payment-service confirms it', async () => {
    const query = await launchQuery(host, keys);
    const page = await request(service.url).get(launchPath(query)).expect(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const headers = { cookie, origin: service.url, 'x-billers-host-origin': ORIGIN };
    const bill = await request(service.url)
      .post('/billers/api/npi-object')
      .set(headers)
      .send({ session_id: query.session_id, biller_code: billerCodes[1], fields: { username: 'user.one', amount: '1500' } })
      .expect(200);

    const event = await eventually(async () => received.get(query.session_id), 'billers.bill.prepared.v1');
    expect(event.producer).toBe('session-service');
    expect(event.data).toMatchObject({
      participantCode: host.code,
      sessionId: query.session_id,
      batchId: bill.body.batchId,
      instructionId: bill.body.instructionId,
      amount: '1500.00',
      currency: 'NPR',
      billerCode: billerCodes[1],
      refId: 'user.one',
      creditorAgent: '1301',
    });
    expect(Date.parse(event.data.expiresAt)).toBeGreaterThan(Date.now());

    const completed = {
      participantCode: host.code,
      sessionId: query.session_id,
      batchId: bill.body.batchId as string,
      instructionId: bill.body.instructionId as string,
      amount: '1500.00',
      status: 'SUCCESS' as const,
      responseCode: '000',
    };
    const eventId = randomUUID();
    await publishEvent(paymentSide, PaymentsBillpayCompletedV1, completed, { producer: 'payment-service', key: query.session_id, eventId });
    // At-least-once: the same event delivered again changes nothing.
    await publishEvent(paymentSide, PaymentsBillpayCompletedV1, completed, { producer: 'payment-service', key: query.session_id, eventId });

    const state = await eventually(async () => {
      const response = await request(service.url).post('/billers/api/session').set(headers).send({ session_id: query.session_id });
      return response.body.state === 'COMPLETED' ? response.body.state : undefined;
    }, 'session COMPLETED');
    expect(state).toBe('COMPLETED');

    // A completed session prepares nothing more.
    const again = await request(service.url)
      .post('/billers/api/npi-object')
      .set(headers)
      .send({ session_id: query.session_id, biller_code: billerCodes[1], fields: { username: 'user.one', amount: '10' } })
      .expect(409);
    expect(again.body.error.code).toBe('ERR_SESSION_NOT_ACTIVE');
  }, 90_000);

  it('consumes completions in order per session: a foreign batch and a failure come first, the success completes it', async () => {
    const query = await launchQuery(host, keys);
    const page = await request(service.url).get(launchPath(query)).expect(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const headers = { cookie, origin: service.url, 'x-billers-host-origin': ORIGIN };
    const bill = await request(service.url)
      .post('/billers/api/npi-object')
      .set(headers)
      .send({ session_id: query.session_id, biller_code: billerCodes[0], fields: { mobile: '9801234567', amount: '50' } })
      .expect(200);
    await eventually(async () => received.get(query.session_id), 'billers.bill.prepared.v1');
    const base = { participantCode: host.code, sessionId: query.session_id, instructionId: bill.body.instructionId as string, amount: '50.00', responseCode: 'E999' };
    await publishEvent(paymentSide, PaymentsBillpayCompletedV1, { ...base, batchId: 'BIL-NOT-OURS', status: 'SUCCESS' }, { producer: 'payment-service', key: query.session_id });
    await publishEvent(paymentSide, PaymentsBillpayCompletedV1, { ...base, batchId: bill.body.batchId as string, status: 'FAILED' }, { producer: 'payment-service', key: query.session_id });
    // A later SUCCESS for the real batch is the marker that both earlier events were consumed (same key, same partition, in order).
    await publishEvent(paymentSide, PaymentsBillpayCompletedV1, { ...base, batchId: bill.body.batchId as string, status: 'SUCCESS', responseCode: '000' }, { producer: 'payment-service', key: query.session_id });
    const state = await eventually(async () => {
      const response = await request(service.url).post('/billers/api/session').set(headers).send({ session_id: query.session_id });
      return response.body.state === 'COMPLETED' ? 'COMPLETED' : undefined;
    }, 'session COMPLETED');
    expect(state).toBe('COMPLETED');
  }, 90_000);
  it("shows in the npiObject the charge of the biller's app, from the slabs payment-service publishes", async () => {
    const appId = 'NPI-WLINK-APP-1'; // billerCodes[1]'s app in the harness
    await publishEvent(
      paymentSide,
      PaymentsDirectoryChangedV1,
      {
        changedAt: new Date().toISOString(),
        changedBy: 'operator',
        banks: [],
        removedBankIds: [],
        chargeSlabs: [{ appId, slabs: [{ scheme: 'BILLPAY', currency: 'NPR', maxAmt: '100000.00', minChargeAmt: '7.50', maxChargeAmt: '50.00', percent: '0.5' }] }],
        autoReleaseLimits: [],
      },
      { producer: 'payment-service', key: 'directory' },
    );
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await eventually(async () => ((await db.query('SELECT 1 FROM session.charge_slab WHERE app_id = $1', [appId])).rowCount ? true : undefined), 'charge slabs stored');
    } finally {
      await db.end();
    }
    const query = await launchQuery(host, keys);
    const page = await request(service.url).get(launchPath(query)).expect(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const bill = await request(service.url)
      .post('/billers/api/npi-object')
      .set({ cookie, origin: service.url, 'x-billers-host-origin': ORIGIN })
      .send({ session_id: query.session_id, biller_code: billerCodes[1], fields: { username: 'user.two', amount: '2000' } })
      .expect(200);
    const { payload } = await openNpiObject(bill.body.npiObject as string, host, keys);
    // 0.5 % of 2000.00 is 10.00, within the slab's 7.50..50.00.
    expect(payload).toMatchObject({ cipsBatchDetail: { batchAmount: 2000, batchChargeAmount: 10 }, cipsTransactionDetail: { amount: 2000, chargeAmount: 10, appId } });
  }, 90_000);
});
