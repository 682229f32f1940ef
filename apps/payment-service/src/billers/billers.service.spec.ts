import { PaymentsBatchAcceptedV1, PaymentsBillpayCompletedV1 } from '@npi/kafka-contracts';
import { buildBillersConfirmTokenString } from '@npi/signature-token';
import { NOW, PRINCIPAL, USER, WHITELISTED, batchRulesWorld, memberSignature } from '../../test/support/batch-rules-world';
import { InMemoryPreparedBillRepository } from '../../test/support/in-memory-ports';
import { billerConfirmBody } from './billers.contracts';
import type { NchlBillerConfirmPosted } from './billers.contracts';
import { BillersService } from './billers.service';

/** A confirmation as the host's backend posts it, signed over NCHL's Billers token string. */
function confirmation(options: { batchId?: string; amount?: number; refId?: string } = {}): NchlBillerConfirmPosted {
  const batchId = options.batchId ?? 'BILL-1';
  const amount = options.amount ?? 1000;
  const posted = {
    cipsBatchDetail: { batchId, batchAmount: amount, batchCount: 1, batchCrncy: 'NPR' as const, categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Sita', debtorAccount: WHITELISTED },
    cipsTransactionDetail: { id: 12816806, instructionId: `${batchId}-1`, endToEndId: 'Traffic Fine Payment', amount, appId: 'MER-984-APP-1', refId: options.refId ?? '187145' },
    token: '',
  };
  return { ...posted, token: memberSignature(buildBillersConfirmTokenString(posted as never, USER)) };
}

async function setUp(bill: { participantCode?: string; expiresInMs?: number } = {}) {
  const world = await batchRulesWorld();
  const bills = new InMemoryPreparedBillRepository();
  await bills.remember({
    participantCode: bill.participantCode ?? 'DEMO', sessionId: 'session-1', batchId: 'BILL-1', instructionId: 'BILL-1-1', endToEndId: null, transactionId: null,
    appId: 'MER-984-APP-1', refId: '187145', amount: '1000.00', billerCode: 'TRAFFIC', creditorAgent: '4501', creditorBranch: '23', creditorAccount: '001011160000374',
    expiresAt: new Date(NOW.getTime() + (bill.expiresInMs ?? 600_000)),
  });
  const billers = new BillersService(world.service, bills, world.clock);
  const confirm = (posted: NchlBillerConfirmPosted) => billers.confirm(PRINCIPAL, billerConfirmBody.parse(posted), posted);
  return { ...world, bills, confirm };
}

describe('BillersService (confirmbillerpay.do rules, in-memory ports)', () => {
  it('confirms the prepared bill once: DEFER answer, bill marked confirmed, billpay.completed SUCCESS with the batch', async () => {
    const { confirm, bills, batches } = await setUp();
    const answer = await confirm(confirmation());
    expect(answer.httpStatus).toBe(200);
    expect(answer.body).toMatchObject({
      responseResult: { responseCode: '000' },
      cipsBatchDetail: { batchId: 'BILL-1', debitStatus: '000' },
      cipsTransactionDetail: { instructionId: 'BILL-1-1', creditStatus: 'DEFER', appId: 'MER-984-APP-1', refId: '187145', creditorAgent: '4501' },
    });
    expect(bills.bills[0].confirmedAt).toEqual(NOW);
    expect(batches.outbox.map((e) => [e.topic, (e.payload as { data: { status?: string } }).data.status])).toEqual([
      [PaymentsBatchAcceptedV1.topic, undefined],
      [PaymentsBillpayCompletedV1.topic, 'SUCCESS'],
    ]);
  });

  it('refuses a bill no session of this participant prepared with E007, recording nothing', async () => {
    const other = await setUp({ participantCode: 'OTHER' });
    await expect(other.confirm(confirmation())).rejects.toMatchObject({ responseCode: 'E007', kind: 'NOT_AUTHORIZED', batchId: 'BILL-1' });
    const unknown = await setUp();
    await expect(unknown.confirm(confirmation({ batchId: 'BILL-2' }))).rejects.toMatchObject({ responseCode: 'E007', kind: 'NOT_AUTHORIZED' });
    expect([...other.batches.batches, ...unknown.batches.batches]).toHaveLength(0);
  });

  it('refuses a bill whose session expired with E007', async () => {
    const { confirm, clock, bills } = await setUp({ expiresInMs: 60_000 });
    clock.advance(60_000);
    await expect(confirm(confirmation())).rejects.toMatchObject({ responseCode: 'E007', message: 'not authorized: the NPI Billers session of this bill has expired' });
    expect(bills.bills[0].confirmedAt).toBeNull();
  });

  it('refuses a confirmation that differs from the prepared bill (amount, refId) with E007 naming the fields', async () => {
    const { confirm } = await setUp();
    await expect(confirm(confirmation({ amount: 999, refId: 'other' }))).rejects.toMatchObject({
      responseCode: 'E007',
      kind: 'VALIDATION_FAILED',
      fieldErrors: [{ field: 'cipsTransactionDetail.amount' }, { field: 'cipsTransactionDetail.refId' }],
    });
  });

  it('refuses a confirmation whose token does not verify with E003 before looking at the bill', async () => {
    const { confirm, bills } = await setUp();
    await expect(confirm({ ...confirmation(), token: confirmation({ amount: 5 }).token })).rejects.toMatchObject({ responseCode: 'E003' });
    expect(bills.bills[0].confirmedAt).toBeNull();
  });
});
