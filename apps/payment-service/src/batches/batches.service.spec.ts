import { PaymentsBatchAcceptedV1, PaymentsBatchRejectedV1 } from '@npi/kafka-contracts';
import { generateMemberCredentials } from '@npi/signature-token';
import { NOW, PRINCIPAL, USER, WHITELISTED, batchRulesWorld, memberSignature } from '../../test/support/batch-rules-world';
import type { WorldOptions } from '../../test/support/batch-rules-world';
import type { InMemoryBatchRepository } from '../../test/support/in-memory-ports';
import { realTimeRequestSchema } from './batch-request';
import type { NchlRealTimeBatchPosted } from './batch-request';

const otherKeys = generateMemberCredentials({ commonName: 'OTHER', passphrase: 'member-passphrase', days: 30, now: new Date(NOW.getTime() - 86_400_000) });

const two = (amount: number) => amount.toFixed(2);

/** A real-time body as a member posts it, signed over NCHL's token string (written out here, not built by the code under test). */
function realTime(options: { batchId?: string; amount?: number; debtorAgent?: string; debtorAccount?: string; creditorAgent?: string; privateKeyPem?: string } = {}): NchlRealTimeBatchPosted {
  const batchId = options.batchId ?? 'B-1';
  const amount = options.amount ?? 1500;
  const batch = {
    batchId, batchAmount: amount, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG',
    debtorAgent: options.debtorAgent ?? '2501', debtorBranch: '1', debtorName: 'Member DEMO', debtorAccount: options.debtorAccount ?? WHITELISTED,
  };
  const transaction = {
    instructionId: `${batchId}-1`, endToEndId: 'Payment', amount, purpose: 'PAYM',
    creditorAgent: options.creditorAgent ?? '4501', creditorBranch: '23', creditorName: 'Ram Bahadur', creditorAccount: '001011160000374',
  };
  const tokenString = [batch.batchId, batch.debtorAgent, batch.debtorBranch, batch.debtorAccount, two(amount), batch.batchCrncy,
    transaction.instructionId, transaction.creditorAgent, transaction.creditorBranch, transaction.creditorAccount, two(amount), USER].join(',');
  return { cipsBatchDetail: batch, cipsTransactionDetailList: [transaction], token: memberSignature(tokenString, options.privateKeyPem) } as NchlRealTimeBatchPosted;
}

async function setUp(options: WorldOptions = {}) {
  const world = await batchRulesWorld(options);
  const post = (posted: NchlRealTimeBatchPosted) => world.service.postRealTime(PRINCIPAL, realTimeRequestSchema.parse(posted), posted);
  return { ...world, post };
}

const topics = (batches: InMemoryBatchRepository) => batches.outbox.map((event) => event.topic);

describe('BatchesService (transaction API rules, in-memory ports)', () => {
  it('accepts a signed, whitelisted payment under the cap: 000 with DEFER, recorded once with its reservation and event', async () => {
    const { post, batches, caps } = await setUp();
    const answer = await post(realTime());
    expect(answer.httpStatus).toBe(200);
    expect(answer.body).toMatchObject({
      cipsBatchResponse: { responseCode: '000', batchId: 'B-1', debitStatus: '000' },
      cipsTxnResponseList: [{ responseCode: '000', instructionId: 'B-1-1', creditStatus: 'DEFER' }],
      token: expect.any(String),
    });
    expect(batches.batches).toHaveLength(1);
    expect(batches.batches[0].record).toMatchObject({ status: 'ACCEPTED', batchAmount: '1500.00' });
    expect(topics(batches)).toEqual([PaymentsBatchAcceptedV1.topic]);
    expect(await caps.listWithUsage(batches.batches[0].record.memberId, '2026-12-06')).toMatchObject([{ used: '1500.00' }]);
  });

  it('answers the same request again with its first answer and records nothing more', async () => {
    const { post, batches, caps } = await setUp();
    const first = await post(realTime());
    const again = await post(realTime());
    expect(again).toEqual(first);
    expect(batches.batches).toHaveLength(1);
    expect(batches.outbox).toHaveLength(1);
    expect(await caps.listWithUsage(batches.batches[0].record.memberId, '2026-12-06')).toMatchObject([{ used: '1500.00' }]);
  });

  it('refuses another request under a used batchId with 99 and changes nothing', async () => {
    const { post, batches } = await setUp();
    await post(realTime());
    await expect(post(realTime({ amount: 20 }))).rejects.toMatchObject({ responseCode: '99', kind: 'DUPLICATE_BATCH', batchId: 'B-1' });
    expect(batches.batches).toHaveLength(1);
  });

  it('refuses a token that does not verify (tampered field, another key) with E003, recording nothing', async () => {
    const { post, batches } = await setUp();
    const tampered = realTime();
    tampered.cipsTransactionDetailList[0].creditorAccount = '999999999999';
    await expect(post(tampered)).rejects.toMatchObject({ responseCode: 'E003', kind: 'TOKEN_SIGNATURE_INVALID' });
    await expect(post(realTime({ privateKeyPem: otherKeys.privateKeyPem }))).rejects.toMatchObject({ responseCode: 'E003' });
    expect(batches.batches).toHaveLength(0);
  });

  it('refuses a user who is no active member (or comes through another client) with E003', async () => {
    const { service } = await setUp();
    const posted = realTime();
    await expect(service.postRealTime({ subject: USER, clientId: 'another-client' }, realTimeRequestSchema.parse(posted), posted)).rejects.toMatchObject({ responseCode: 'E003' });
  });

  it('refuses an unknown debtor bank or creditor bank with E004, recording nothing', async () => {
    const { post, batches } = await setUp();
    await expect(post(realTime({ debtorAgent: '9999' }))).rejects.toMatchObject({ responseCode: 'E004', kind: 'INVALID_ACCOUNT', fieldErrors: [{ field: 'debtorAgent' }] });
    await expect(post(realTime({ batchId: 'B-2', creditorAgent: '9999' }))).rejects.toMatchObject({ responseCode: 'E004', fieldErrors: [{ field: 'transactions[0].creditorAgent' }] });
    expect(batches.batches).toHaveLength(0);
  });

  it('refuses a debtor account that is not whitelisted with E007 400, recorded with batch.rejected and no reservation', async () => {
    const { post, batches, caps } = await setUp();
    const answer = await post(realTime({ debtorAccount: '0010000000000001' }));
    expect(answer.httpStatus).toBe(400);
    expect(answer.body).toMatchObject({ responseCode: 'E007', responseDescription: 'not authorized: debtor account is not whitelisted for this member', fieldErrors: [] });
    expect(batches.batches[0].record.status).toBe('REJECTED');
    expect(topics(batches)).toEqual([PaymentsBatchRejectedV1.topic]);
    expect(caps.usage.size).toBe(0);
  });

  it("lets a bank debit its own customers without a whitelist entry", async () => {
    const { post } = await setUp({ kind: 'BANK', bankId: '2501' });
    expect((await post(realTime({ debtorAccount: '0010000000000001' }))).httpStatus).toBe(200);
  });

  it('refuses with E007 when no cap is set, above the per-transaction limit, and once the session cap is used up', async () => {
    const noCap = await setUp({ cap: false });
    expect((await noCap.post(realTime())).body).toMatchObject({ responseCode: 'E007', responseDescription: 'not authorized: no debit cap is set for this member at the debtor bank' });

    const limited = await setUp({ perTransactionLimit: '1000.00' });
    expect((await limited.post(realTime())).body).toMatchObject({ responseCode: 'E007', responseDescription: 'not authorized: a transaction exceeds the per-transaction limit of 1000.00' });

    const { post, batches } = await setUp({ capAmount: '2000.00' });
    expect((await post(realTime({ batchId: 'B-1' }))).httpStatus).toBe(200);
    const refused = await post(realTime({ batchId: 'B-2' }));
    expect(refused.httpStatus).toBe(400);
    expect(refused.body).toMatchObject({ responseCode: 'E007', responseDescription: 'not authorized: debit cap exceeded for this settlement session' });
    expect(batches.batches.map((b) => b.record.status)).toEqual(['ACCEPTED', 'REJECTED']);
    expect((await post(realTime({ batchId: 'B-3', amount: 500 }))).httpStatus).toBe(200);
  });
});
