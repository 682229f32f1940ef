/**
 * The Billers exchange over the real Kafka broker: this test plays
 * session-service, publishing `billers.bill.prepared.v1`; the member confirms through
 * `/api/npibiller/confirmbillerpay.do`; `payments.billpay.completed.v1` comes back over Kafka. The
 * default settlement adapter then moves the transaction to ACSC with `payments.transaction.settled.v1`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { BillersBillPreparedV1, PaymentsBillpayCompletedV1, PaymentsTransactionSettledV1 } from '@npi/kafka-contracts';
import type { EventEnvelope } from '@npi/kafka-contracts';
import { publishEvent, recordEvents } from '@npi/messaging';
import { BATCH_REPOSITORY } from '@npi/payment/data-access';
import type { BatchRepository } from '@npi/payment/data-access';
import { eventually } from '@npi/testing';
import { announceClient, memberSign, registerMember, startLocalIssuer, startPaymentService } from '../../test/support/payment-harness';
import type { LocalIssuer, PaymentUnderTest, TestMember } from '../../test/support/payment-harness';

jest.setTimeout(60_000);

function arrived<T extends { data: { batchId: string } }>(events: T[], batchId: string): T {
  const event = events.find((e) => e.data.batchId === batchId);
  if (!event) throw new Error(`no event yet for ${batchId}`);
  return event;
}

describe('NPI Billers confirm over Kafka', () => {
  let issuer: LocalIssuer;
  let payment: PaymentUnderTest;
  let member: TestMember;
  let token: string;
  let completed: EventEnvelope<{ batchId: string; status: string; sessionId: string; responseCode: string }>[] = [];
  let settled: EventEnvelope<{ batchId: string; creditStatus: string }>[] = [];
  const subscriptions: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    payment = await startPaymentService(issuer, { extraEnv: { SETTLEMENT_AUTO_CREDIT: 'true' } });
    member = await registerMember(payment.service, { bankId: '2601', cap: '10000.00' });
    await announceClient(payment.service, member.clientId, ['127.0.0.1/32', '::1/128']);
    token = await issuer.issue({ clientId: member.clientId, username: member.username });
    const broker = payment.service.deps.broker;
    // session-service's side: it listens for the outcome.
    const completedEvents = await recordEvents(broker, PaymentsBillpayCompletedV1);
    const settledEvents = await recordEvents(broker, PaymentsTransactionSettledV1);
    completed = completedEvents.events;
    settled = settledEvents.events;
    subscriptions.push(completedEvents, settledEvents);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.close()));
    await payment?.service.stop();
    await issuer?.close();
  }, 30_000);

  function confirmBody(batchId: string, amount: number, overrides: { appId?: string } = {}) {
    const bill = { id: 12816806, instructionId: `${batchId}-1`, endToEndId: 'Traffic Fine Payment', amount, appId: overrides.appId ?? 'MER-984-APP-1', refId: '187145' };
    const batch = { batchId, batchAmount: amount, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2601', debtorBranch: '1', debtorName: 'Sita', debtorAccount: member.debtorAccount };
    // docs/npi-reference.md: batch fields, then id,instructionId,endToEndId,appId,refId,amount, then userId.
    const tokenString = [batchId, '2601', '1', member.debtorAccount, amount.toFixed(2), 'NPR', bill.id, bill.instructionId, bill.endToEndId, bill.appId, bill.refId, amount.toFixed(2), member.username].join(',');
    return { cipsBatchDetail: batch, cipsTransactionDetail: bill, token: memberSign(tokenString, member.privateKeyPem) };
  }

  async function prepare(batchId: string, amount: string, expiresInMs = 3_600_000) {
    await publishEvent(
      payment.service.deps.broker,
      BillersBillPreparedV1,
      {
        participantCode: member.code, sessionId: `${member.code}_${randomUUID()}`, batchId, instructionId: `${batchId}-1`, endToEndId: 'Traffic Fine Payment',
        appId: 'MER-984-APP-1', refId: '187145', amount, currency: 'NPR', billerCode: 'TRAFFIC', expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
      },
      { producer: 'session-service', key: member.code },
    );
  }

  const confirm = (body: unknown) => request(payment.service.url).post('/api/npibiller/confirmbillerpay.do').set('authorization', `Bearer ${token}`).send(body as object);

  it('confirms a prepared bill, tells the session over Kafka, and settles it', async () => {
    const batchId = `T13-${randomBytes(4).toString('hex')}`;
    await prepare(batchId, '1000.00');
    const answer = await eventually(async () => {
      const posted = await confirm(confirmBody(batchId, 1000));
      expect(posted.status).toBe(200);
      return posted.body;
    });
    expect(answer).toMatchObject({
      responseResult: { responseCode: '000', responseDescription: 'SUCCESS', fieldErrors: [] },
      cipsBatchDetail: { batchId, debitStatus: '000', batchAmount: 1000, batchChargeAmount: 2 },
      cipsTransactionDetail: { instructionId: `${batchId}-1`, amount: 1000, chargeAmount: 2, appId: 'MER-984-APP-1', refId: '187145', creditStatus: 'DEFER' },
    });
    const event = await eventually(() => arrived(completed, batchId));
    expect(event.data).toMatchObject({ participantCode: member.code, status: 'SUCCESS', responseCode: '000', amount: '1000.00' });

    // The identical retry gets the first answer (a lost response is safe to retry).
    expect((await confirm(confirmBody(batchId, 1000, { appId: 'MER-984-APP-1' })).expect(200)).body).toEqual(answer);
    const settledEvent = await eventually(() => arrived(settled, batchId));
    expect(settledEvent.data.creditStatus).toBe('ACSC');
    const record = await payment.service.app.get<BatchRepository>(BATCH_REPOSITORY).findByBatchId(member.member.id, batchId, ['BILLPAY']);
    expect(record?.transactions[0].creditStatus).toBe('ACSC');
  });

  it('refuses a bill no session prepared, one with another amount, and one whose session expired (E007)', async () => {
    const unknown = await confirm(confirmBody(`T13-${randomBytes(4).toString('hex')}`, 50)).expect(400);
    expect(unknown.body.responseCode).toBe('E007');

    const batchId = `T13-${randomBytes(4).toString('hex')}`;
    await prepare(batchId, '200.00');
    const wrongAmount = await eventually(async () => {
      const posted = await confirm(confirmBody(batchId, 201));
      expect(posted.body.responseDescription).toContain('does not match the prepared bill');
      return posted;
    });
    expect([wrongAmount.status, wrongAmount.body.responseCode]).toEqual([400, 'E007']);

    const expired = `T13-${randomBytes(4).toString('hex')}`;
    await prepare(expired, '20.00', -1_000);
    await eventually(async () => {
      const posted = await confirm(confirmBody(expired, 20));
      expect(posted.body.responseDescription).toContain('expired');
    });
  });

  it('tells the session FAILED when the debit cap refuses the bill', async () => {
    const batchId = `T13-${randomBytes(4).toString('hex')}`;
    await prepare(batchId, '20000.00');
    await eventually(async () => {
      const posted = await confirm(confirmBody(batchId, 20_000));
      expect(posted.body.responseDescription).toContain('debit cap exceeded');
    });
    const event = await eventually(() => arrived(completed, batchId));
    expect(event.data).toMatchObject({ status: 'FAILED', responseCode: 'E007' });
  });
});
