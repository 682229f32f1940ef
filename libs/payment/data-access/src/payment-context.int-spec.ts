/**
 * The one-round-trip read of a transaction request answers exactly what the repositories it
 * replaces answer one by one, against the real PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { createPrismaClient } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { generateMemberCredentials } from '@npi/signature-token';
import { PrismaBatchRepository } from './prisma-batch.repository';
import { PrismaDebitCapRepository } from './prisma-debit-cap.repository';
import { PrismaMemberRepository } from './prisma-member.repository';
import { PrismaPaymentContextRepository } from './prisma-payment-context.repository';
import { PrismaWhitelistRepository } from './prisma-whitelist.repository';
import type { PaymentContext, PaymentContextQuery } from './types';

const AT = new Date();
const ACCOUNT = '0010055573200018';

describe('PrismaPaymentContextRepository (real PostgreSQL)', () => {
  let prisma: PrismaClient;
  let members: PrismaMemberRepository;
  let whitelist: PrismaWhitelistRepository;
  let caps: PrismaDebitCapRepository;
  let batches: PrismaBatchRepository;
  let contexts: PrismaPaymentContextRepository;

  beforeAll(() => {
    prisma = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 4 });
    members = new PrismaMemberRepository(prisma);
    whitelist = new PrismaWhitelistRepository(prisma);
    caps = new PrismaDebitCapRepository(prisma);
    batches = new PrismaBatchRepository(prisma);
    contexts = new PrismaPaymentContextRepository(prisma);
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  /** The same question asked the slow way, through the repositories the context read stands for. */
  async function oneByOne(query: PaymentContextQuery): Promise<PaymentContext> {
    const member = await members.findByUserId(query.userId);
    if (!member) return { member: null, certificates: [], previousAnswer: null, whitelisted: false, cap: null };
    return {
      member,
      certificates: await members.activeCertificates(member.id, query.at),
      previousAnswer: await batches.findAnswer(member.id, query.batchId),
      whitelisted: (await whitelist.findActive(member.id, query.debtorAgent, query.debtorAccount, query.at)) !== null,
      cap: await caps.find(member.id, query.debtorAgent),
    };
  }

  function comparable(context: PaymentContext) {
    return {
      ...context,
      member: context.member && { id: context.member.id, code: context.member.code, name: context.member.name, kind: context.member.kind, bankId: context.member.bankId, oauthClientId: context.member.oauthClientId, userId: context.member.userId, status: context.member.status },
      certificates: context.certificates.map((c) => ({ id: c.id, memberId: c.memberId, certificatePem: c.certificatePem, fingerprint: c.fingerprint, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString() })),
    };
  }

  it('an unknown user: no member and nothing else', async () => {
    const query = { userId: `nobody-${randomUUID()}`, batchId: 'B1', debtorAgent: '2501', debtorAccount: ACCOUNT, at: AT };
    expect(await contexts.read(query)).toEqual({ member: null, certificates: [], previousAnswer: null, whitelisted: false, cap: null });
  });

  it('a member with a live and an expired certificate, a whitelist entry, a cap and an earlier answer: the same as the repositories', async () => {
    const code = `CTX-${randomUUID().slice(0, 8)}`;
    const member = await members.upsertMember({ code, name: code, kind: 'NON_BANK', bankId: null, userId: `${code}@user` });
    const live = generateMemberCredentials({ commonName: `${code}-live`, passphrase: 'passphrase-of-sixteen', days: 30, now: new Date(AT.getTime() - 86_400_000) });
    const expired = generateMemberCredentials({ commonName: `${code}-old`, passphrase: 'passphrase-of-sixteen', days: 1, now: new Date(AT.getTime() - 10 * 86_400_000) });
    await members.addCertificate(member.id, live.certificatePem);
    await members.addCertificate(member.id, expired.certificatePem);
    await whitelist.add({
      memberId: member.id, bankId: '2501', branchId: '1', accountId: ACCOUNT, accountName: 'Wallet', letterNumber: 'DAL-1', letterDate: '2026-11-01',
      letterIssuingBank: '2501', letterDocumentHash: 'a'.repeat(64), effectiveFrom: new Date(AT.getTime() - 3_600_000), recordedBy: 'operator',
    });
    await caps.setCap({ memberId: member.id, bankId: '2501', capAmount: '5000.00', perTransactionLimit: '100.50', updatedBy: 'operator' });
    const batchId = `B${randomUUID().slice(0, 8)}`;
    await batches.record(
      {
        memberId: member.id, batchId, kind: 'CIPS', debtorAgent: '2501', debtorBranch: '1', debtorAccount: ACCOUNT, debtorName: null, batchAmount: '10.00',
        batchCurrency: 'NPR', categoryPurpose: null, requestHash: 'hash-1', userId: member.userId,
        transactions: [{ instructionId: `${batchId}-1`, endToEndId: null, amount: '10.00', purpose: null, creditorAgent: '4501', creditorBranch: '23', creditorName: null, creditorAccount: '001' }],
        reservation: null, refusal: { responseCode: 'E007', responseMessage: 'refused' },
      },
      () => ({ status: 'REJECTED', responseCode: 'E007', responseMessage: 'refused', debitStatus: null, creditStatus: null, transactionResponseCode: 'E007', transactionResponseMessage: 'refused', httpStatus: 400, responseBody: { responseCode: 'E007', nested: { list: [1, 'two'] } }, events: [] }),
    );

    for (const query of [
      { userId: member.userId, batchId, debtorAgent: '2501', debtorAccount: ACCOUNT, at: AT },
      { userId: member.userId, batchId: 'not-used', debtorAgent: '2501', debtorAccount: 'other-account', at: AT },
      { userId: member.userId, batchId, debtorAgent: '4501', debtorAccount: ACCOUNT, at: AT },
    ]) {
      const context = await contexts.read(query);
      expect(comparable(context)).toEqual(comparable(await oneByOne(query)));
    }
    const context = await contexts.read({ userId: member.userId, batchId, debtorAgent: '2501', debtorAccount: ACCOUNT, at: AT });
    expect(context.certificates).toHaveLength(1);
    expect(context.previousAnswer).toEqual({ requestHash: 'hash-1', httpStatus: 400, responseBody: { responseCode: 'E007', nested: { list: [1, 'two'] } } });
    expect(context.whitelisted).toBe(true);
    expect(context.cap).toMatchObject({ capAmount: '5000.00', perTransactionLimit: '100.50', bankId: '2501' });

    // A suspended entry no longer whitelists.
    const [entry] = await whitelist.list(member.id);
    await whitelist.suspend(entry.id, 'operator', new Date(AT.getTime() - 1000));
    expect((await contexts.read({ userId: member.userId, batchId, debtorAgent: '2501', debtorAccount: ACCOUNT, at: AT })).whitelisted).toBe(false);
  });
});
