/**
 * The transaction APIs through HTTP as a member calls them, against the real PostgreSQL and Kafka:
 * access token, source IP allowlist (E001), signature (E003), whitelist, direct customer debits,
 * debit caps, duplicate batch ids (99) and NPI's answer token.
 */
import { verify as cryptoVerify, constants } from 'node:crypto';
import request from 'supertest';
import { eventually } from '@npi/testing';
import {
  announceClient,
  nonRealTimeBody,
  npiAnswerTokenString,
  realTimeBody,
  registerMember,
  startLocalIssuer,
  startPaymentService,
} from '../support/payment-harness';
import type { LocalIssuer, PaymentUnderTest, TestMember } from '../support/payment-harness';

describe('payment-service transaction APIs', () => {
  let issuer: LocalIssuer;
  let payment: PaymentUnderTest;
  let member: TestMember;
  let accessToken: string;

  const post = (path: string, body: unknown, token = accessToken) =>
    request(payment.service.url).post(path).set('authorization', `Bearer ${token}`).send(body as object);

  const verifiesWithNpi = (tokenString: string, token: string) =>
    cryptoVerify('sha256', Buffer.from(tokenString), { key: payment.npiCertificatePem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(token, 'base64'));

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    payment = await startPaymentService(issuer);
    member = await registerMember(payment.service, { cap: '5000.00' });
    await announceClient(payment.service, member.clientId, ['127.0.0.1/32', '::1/128']);
    accessToken = await issuer.issue({ clientId: member.clientId, username: member.username });
    // The allowlist arrives over Kafka: wait until this client is known.
    await eventually(async () => {
      const answer = await post('/api/postcipsbatch', {});
      expect(answer.body.responseCode).not.toBe('E001');
    });
  }, 90_000);

  afterAll(async () => {
    await payment?.service.stop();
    await issuer?.close();
  }, 30_000);

  it('accepts a signed real-time payment and signs its answer with NPI\'s key', async () => {
    const body = realTimeBody(member, { amount: 1500 });
    const answer = await post('/api/postcipsbatch', body).expect(200);
    expect(answer.body.cipsBatchResponse).toMatchObject({ responseCode: '000', responseMessage: 'SUCCESS', batchId: body.cipsBatchDetail.batchId, debitStatus: '000' });
    expect(answer.body.cipsTxnResponseList).toEqual([
      expect.objectContaining({ responseCode: '000', instructionId: body.cipsTransactionDetailList[0].instructionId, creditStatus: 'DEFER' }),
    ]);
    expect(npiAnswerTokenString(answer.body)).toBe(`${body.cipsBatchDetail.batchId},000,000,${body.cipsTransactionDetailList[0].instructionId},000,DEFER`);
    expect(verifiesWithNpi(npiAnswerTokenString(answer.body), answer.body.token)).toBe(true);
  });

  it('answers the same request retried with the first answer, and another request under that batchId with 99', async () => {
    const body = realTimeBody(member, { amount: 20 });
    const first = await post('/api/postcipsbatch', body).expect(200);
    const retried = await post('/api/postcipsbatch', body).expect(200);
    expect(retried.body).toEqual(first.body);
    const other = realTimeBody(member, { amount: 21, batchId: body.cipsBatchDetail.batchId });
    const duplicate = await post('/api/postcipsbatch', other).expect(400);
    expect(duplicate.body).toMatchObject({ responseCode: '99' });
    expect(verifiesWithNpi(`${body.cipsBatchDetail.batchId},99,`, duplicate.body.token)).toBe(true);
  });

  it('refuses a tampered amount with E003 and records nothing', async () => {
    const body = realTimeBody(member, { amount: 10 });
    body.cipsTransactionDetailList[0].amount = 10_000;
    body.cipsBatchDetail.batchAmount = 10_000;
    const answer = await post('/api/postcipsbatch', body).expect(400);
    expect(answer.body.responseCode).toBe('E003');
    // Nothing was recorded: the genuine request under that batchId still goes through.
    const genuine = realTimeBody(member, { amount: 10, batchId: body.cipsBatchDetail.batchId });
    await post('/api/postcipsbatch', genuine).expect(200);
  });

  it('refuses a debit from an account that is not whitelisted (E007)', async () => {
    const body = realTimeBody(member, { debtorAccount: '0099999999999999' });
    const answer = await post('/api/postcipsbatch', body).expect(400);
    expect(answer.body.responseCode).toBe('E007');
    expect(answer.body.responseDescription).toContain('not whitelisted');
  });

  it('lets a bank member debit its own customer directly without a whitelist entry', async () => {
    const bank = await registerMember(payment.service, { kind: 'BANK', ownBankId: '0401', bankId: '2501' });
    await announceClient(payment.service, bank.clientId, ['127.0.0.1/32', '::1/128']);
    const token = await issuer.issue({ clientId: bank.clientId, username: bank.username });
    const body = realTimeBody(bank, { debtorAgent: '0401', debtorBranch: '81', debtorAccount: '08110017501011', amount: 300 });
    await eventually(async () => {
      const answer = await post('/api/postcipsbatch', body, token);
      expect(answer.status).toBe(200);
      expect(answer.body.cipsBatchResponse.responseCode).toBe('000');
    });
    // The same bank debiting a non-whitelisted account at another bank is refused.
    const other = realTimeBody(bank, { debtorAgent: '2501', debtorAccount: '0011111111111111' });
    expect((await post('/api/postcipsbatch', other, token).expect(400)).body.responseCode).toBe('E007');
  });

  it('refuses a request from a source IP outside the client\'s allowlist with E001 (HTTP 403)', async () => {
    const outsider = await registerMember(payment.service);
    await announceClient(payment.service, outsider.clientId, ['10.20.0.0/16']);
    const token = await issuer.issue({ clientId: outsider.clientId, username: outsider.username });
    await eventually(async () => {
      const answer = await post('/api/postcipsbatch', realTimeBody(outsider), token);
      expect([answer.status, answer.body.responseCode]).toEqual([403, 'E001']);
    });
  });

  it('refuses a missing or forged access token with E999 (HTTP 401)', async () => {
    const missing = await request(payment.service.url).post('/api/postcipsbatch').send(realTimeBody(member)).expect(401);
    expect(missing.body.responseCode).toBe('E999');
    const forged = await post('/api/postcipsbatch', realTimeBody(member), `${accessToken.slice(0, -4)}AAAA`).expect(401);
    expect(forged.body.responseCode).toBe('E999');
  });

  it('answers malformed bodies with E007 and field errors, never a 500', async () => {
    const body = realTimeBody(member);
    const noAmount = { ...body, cipsBatchDetail: { ...body.cipsBatchDetail, batchAmount: undefined } };
    const answer = await post('/api/postcipsbatch', noAmount).expect(400);
    expect(answer.body.responseCode).toBe('E007');
    expect(answer.body.fieldErrors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'cipsBatchDetail.batchAmount' })]));
    const broken = await request(payment.service.url).post('/api/postcipsbatch').set('authorization', `Bearer ${accessToken}`).set('content-type', 'application/json').send('{"a":').expect(400);
    expect(broken.body.responseCode).toBe('E007');
    const wrongTotal = realTimeBody(member, { amount: 5 });
    wrongTotal.cipsBatchDetail.batchAmount = 6; // signed as sent, so the signature holds; the totals do not
    const totals = await post('/api/postcipsbatch', wrongTotal).expect(400);
    expect(totals.body.responseCode).toMatch(/^E00[37]$/);
  });

  it('refuses an unknown creditor bank with E004', async () => {
    const answer = await post('/api/postcipsbatch', realTimeBody(member, { creditorAgent: '0000' })).expect(400);
    expect(answer.body.responseCode).toBe('E004');
  });

  it('accepts a non-real-time batch whole, and refuses one that would pass the debit cap whole', async () => {
    const body = nonRealTimeBody(member, 50, { amount: 10 });
    const answer = await post('/api/postnchlipsbatch', body).expect(200);
    expect(answer.body.cipsTxnResponseList).toHaveLength(50);
    expect(answer.body.cipsTxnResponseList.every((t: { creditStatus: string }) => t.creditStatus === 'ACTC')).toBe(true);
    expect(verifiesWithNpi(npiAnswerTokenString(answer.body), answer.body.token)).toBe(true);
    const tooMuch = nonRealTimeBody(member, 10, { amount: 1000 });
    const refused = await post('/api/postnchlipsbatch', tooMuch).expect(400);
    expect(refused.body.responseCode).toBe('E007');
    expect(refused.body.responseDescription).toContain('debit cap exceeded');
  });

  it('reports batches by date, batch id and instruction id, only the member\'s own', async () => {
    const body = realTimeBody(member, { amount: 42 });
    await post('/api/postcipsbatch', body).expect(200);
    const batchId = body.cipsBatchDetail.batchId;
    const instructionId = body.cipsTransactionDetailList[0].instructionId;
    const byBatch = await post('/api/getcipstxnlistbybatchid', { batchId }).expect(200);
    expect(byBatch.body).toEqual([expect.objectContaining({ instructionId, amount: 42, chargeAmount: 2, appId: 'MER-1-APP-3', creditStatus: 'DEFER', reasonDesc: 'Deferred Credit Payment' })]);
    expect(byBatch.body[0].cipsBatchDetail).toMatchObject({ batchId, batchAmount: 42, batchChargeAmount: 2, debitStatus: '000', debitReasonDesc: 'SUCCESS', rcreUserId: member.username });
    const byInstruction = await post('/api/getcipstxnbyinstructionid', { batchId, instructionId }).expect(200);
    expect(byInstruction.body).toMatchObject({ batchId: byBatch.body[0].cipsBatchDetail.id, instructionId, creditStatus: 'DEFER', cipsBatchDetail: { batchId } });
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const byDate = await post('/api/getcipstxnlistbydate', { txnDateFrom: yesterday, txnDateTo: tomorrow }).expect(200);
    expect(byDate.body.map((t: { cipsBatchDetail: { batchId: string } }) => t.cipsBatchDetail.batchId)).toContain(batchId);
    expect((await post('/api/getcipstxnlistbydate', { txnDateFrom: today, txnDateTo: '2020-01-01' }).expect(400)).body.responseCode).toBe('E007');
    // Non-real-time reports do not list real-time batches; another member sees nothing of ours.
    expect((await post('/api/getnchlipstxnlistbybatchid', { batchId }).expect(200)).body).toEqual([]);
    expect((await post('/api/getnchlipstxnlistbyinstructionid', { batchId, instructionId }).expect(400)).body.responseCode).toBe('E004');
    const other = await registerMember(payment.service);
    await announceClient(payment.service, other.clientId, ['127.0.0.1/32', '::1/128']);
    const otherToken = await issuer.issue({ clientId: other.clientId, username: other.username });
    await eventually(async () => {
      const theirs = await post('/api/getcipstxnlistbybatchid', { batchId }, otherToken);
      expect([theirs.status, theirs.body]).toEqual([200, []]);
    });
  }, 60_000);
});
