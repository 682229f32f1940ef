import { PaymentsBatchRejectedV1 } from '@npi/kafka-contracts';
import { ManualClock } from '@npi/service-runtime';
import { generateMemberCredentials } from '@npi/signature-token';
import { inMemoryPaymentPorts } from '../../test/support/in-memory-ports';
import { SettlementService } from '../settlement/settlement.service';
import { MemberAdminService } from './member-admin.service';

const NOW = new Date('2026-12-06T06:00:00Z');
const expired = generateMemberCredentials({ commonName: 'OLD', passphrase: 'member-passphrase', days: 1, now: new Date('2025-01-01T00:00:00Z') });
const current = generateMemberCredentials({ commonName: 'DEMO', passphrase: 'member-passphrase', days: 30, now: new Date(NOW.getTime() - 86_400_000) });
const letter = { letterNumber: 'DAL-1', letterDate: '2026-11-01', letterIssuingBank: '2501', letterDocumentHash: 'a'.repeat(64) };

async function setUp() {
  const clock = new ManualClock(NOW);
  const { members, banks, whitelist, caps, batches } = inMemoryPaymentPorts(() => clock.now());
  await banks.seed([{ bankId: '2501', bankName: 'Himalayan Bank Limited', branches: [{ branchId: '1', branchName: 'Thamel' }] }]);
  const admin = new MemberAdminService(members, banks, whitelist, caps, clock, new SettlementService(members, batches));
  return { admin, members, whitelist, caps, batches, clock };
}

const aMember = { code: 'DEMO', name: 'Demo', kind: 'NON_BANK' as const, oauthClientId: 'demo-client', userId: 'DEMOUSER' };

describe('MemberAdminService (operator registry rules, in-memory ports)', () => {
  it('registers a member with its certificate; a bank member needs a known bankId', async () => {
    const { admin, members } = await setUp();
    const member = await admin.upsertMember({ ...aMember, certificatePem: current.certificatePem });
    expect(await members.activeCertificates(member.id, NOW)).toHaveLength(1);
    await expect(admin.upsertMember({ ...aMember, code: 'BANK1', kind: 'BANK' })).rejects.toMatchObject({ responseCode: 'E007', fieldErrors: [{ field: 'bankId' }] });
    await expect(admin.upsertMember({ ...aMember, code: 'BANK2', kind: 'BANK', bankId: '9999' })).rejects.toMatchObject({ responseCode: 'E004', fieldErrors: [{ field: 'bankId' }] });
    expect(members.members.map((m) => m.code)).toEqual(['DEMO']);
  });

  it('refuses an expired certificate (E007 on certificatePem) and an unknown member (admin not found)', async () => {
    const { admin } = await setUp();
    await admin.upsertMember(aMember);
    await expect(admin.addCertificate('DEMO', { certificatePem: expired.certificatePem })).rejects.toMatchObject({ responseCode: 'E007', fieldErrors: [{ field: 'certificatePem' }] });
    await expect(admin.addCertificate('NOBODY', { certificatePem: current.certificatePem })).rejects.toMatchObject({ kind: 'ADMIN_NOT_FOUND' });
  });

  it('whitelists an account of a known branch from now, and a suspended entry is no longer active', async () => {
    const { admin, whitelist, members } = await setUp();
    await admin.upsertMember(aMember);
    const memberId = (await members.findByCode('DEMO'))!.id;
    await expect(admin.addWhitelistEntry('DEMO', { bankId: '2501', branchId: '99', accountId: '1', accountName: 'x', recordedBy: 'op', ...letter })).rejects.toMatchObject({
      responseCode: 'E004',
      fieldErrors: [{ field: 'branchId' }],
    });
    const entry = await admin.addWhitelistEntry('DEMO', { bankId: '2501', branchId: '1', accountId: '0010055573200018', accountName: 'Demo Wallet', recordedBy: 'op', ...letter });
    expect(entry.effectiveFrom).toEqual(NOW);
    expect(await whitelist.findActive(memberId, '2501', '0010055573200018', NOW)).not.toBeNull();
    await admin.suspendWhitelistEntry(entry.id, { suspendedBy: 'op' });
    expect(await whitelist.findActive(memberId, '2501', '0010055573200018', NOW)).toBeNull();
    await expect(admin.suspendWhitelistEntry('not-a-uuid', { suspendedBy: 'op' })).rejects.toMatchObject({ kind: 'ADMIN_NOT_FOUND' });
  });

  it('stores debit caps as canonical amounts and refuses one with more than two decimals', async () => {
    const { admin } = await setUp();
    await admin.upsertMember(aMember);
    expect(await admin.setDebitCap('DEMO', { bankId: '2501', capAmount: '1000000', perTransactionLimit: '200000.5', updatedBy: 'op' })).toMatchObject({
      capAmount: '1000000.00',
      perTransactionLimit: '200000.50',
    });
    await expect(admin.setDebitCap('DEMO', { bankId: '2501', capAmount: '10.001', updatedBy: 'op' })).rejects.toMatchObject({ responseCode: 'E007', fieldErrors: [{ field: 'capAmount' }] });
  });

  it('reverses an accepted batch once: cap released, batch.rejected RVSD; a second reversal is not found', async () => {
    const { admin, members, caps, batches } = await setUp();
    const member = await admin.upsertMember(aMember);
    const cap = await caps.setCap({ memberId: member.id, bankId: '2501', capAmount: '5000.00', updatedBy: 'op' });
    const reservation = { capId: cap.id, sessionId: '2026-12-06', amount: '1500.00' };
    await batches.record(
      {
        memberId: member.id, batchId: 'B-1', kind: 'CIPS', debtorAgent: '2501', debtorBranch: '1', debtorAccount: '1', debtorName: null, batchAmount: '1500.00',
        batchCurrency: 'NPR', categoryPurpose: null, requestHash: 'h', userId: 'DEMOUSER', reservation, refusal: null,
        transactions: [{ instructionId: 'B-1-1', endToEndId: null, amount: '1500.00', purpose: null, creditorAgent: '4501', creditorBranch: '23', creditorName: null, creditorAccount: '2' }],
      },
      () => ({ status: 'ACCEPTED', responseCode: '000', responseMessage: 'SUCCESS', debitStatus: '000', creditStatus: 'ACSP', transactionResponseCode: '000', transactionResponseMessage: 'SUCCESS', httpStatus: 200, responseBody: {}, events: [] }),
    );
    expect(await caps.used(cap.id, '2026-12-06')).toBe('1500.00');

    expect(await admin.reverseBatch('DEMO', 'B-1', { reason: 'debit undone at the bank' })).toEqual({ batchId: 'B-1', status: 'REVERSED' });
    expect(await caps.used(cap.id, '2026-12-06')).toBe('0.00');
    expect(batches.outbox.map((e) => [e.topic, (e.payload as { data: { responseCode: string } }).data.responseCode])).toEqual([[PaymentsBatchRejectedV1.topic, 'RVSD']]);
    await expect(admin.reverseBatch('DEMO', 'B-1', { reason: 'again' })).rejects.toMatchObject({ kind: 'ADMIN_NOT_FOUND' });
    expect(members.members).toHaveLength(1);
  });
});
