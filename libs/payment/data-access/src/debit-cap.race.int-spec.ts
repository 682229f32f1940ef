/**
 * At least 500 concurrent payments at a cap that allows exactly N of them,
 * against the real PostgreSQL: exactly N succeed and the recorded total never exceeds the cap, also
 * when the requests are spread over two independent connection pools (two replicas).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createPrismaClient } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { PrismaBatchRepository } from './prisma-batch.repository';
import { PrismaDebitCapRepository } from './prisma-debit-cap.repository';
import { PrismaMemberRepository } from './prisma-member.repository';
import type { BatchDecision, NewBatch, RecordedBatchIds } from './types';

const SESSION = '2026-11-25';

function decide(ids: RecordedBatchIds): BatchDecision {
  const accepted = ids.reserved === true;
  return {
    status: accepted ? 'ACCEPTED' : 'REJECTED',
    responseCode: accepted ? '000' : 'E007',
    responseMessage: accepted ? 'SUCCESS' : 'debit cap exceeded',
    debitStatus: accepted ? '000' : null,
    creditStatus: accepted ? 'ACSP' : null,
    transactionResponseCode: accepted ? '000' : 'E007',
    transactionResponseMessage: accepted ? 'SUCCESS' : 'debit cap exceeded',
    httpStatus: accepted ? 200 : 400,
    responseBody: { accepted },
    events: [],
  };
}

function aBatch(memberId: string, capId: string, amount: string): NewBatch {
  const batchId = `R${randomBytes(8).toString('hex')}`;
  return {
    memberId, batchId, kind: 'CIPS', debtorAgent: '2501', debtorBranch: '1', debtorAccount: '0010055573200018', debtorName: 'Race',
    batchAmount: amount, batchCurrency: 'NPR', categoryPurpose: 'ECPG', requestHash: batchId, userId: 'race',
    transactions: [{ instructionId: `${batchId}-1`, endToEndId: null, amount, purpose: null, creditorAgent: '4501', creditorBranch: '23', creditorName: null, creditorAccount: '001011160000374' }],
    reservation: { capId, sessionId: SESSION, amount },
    refusal: null,
  };
}

describe('debit cap reservation under contention (real PostgreSQL)', () => {
  let replicaA: PrismaClient;
  let replicaB: PrismaClient;

  beforeAll(() => {
    replicaA = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 10 });
    // The second replica runs the hot statements as named prepared statements, as deploy/ configures it.
    replicaB = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 10, preparedStatements: true });
  });
  afterAll(async () => {
    await replicaA.$disconnect();
    await replicaB.$disconnect();
  });

  async function aMemberWithCap(capAmount: string): Promise<{ memberId: string; capId: string }> {
    const code = `RACE-${randomUUID().slice(0, 8)}`;
    const member = await new PrismaMemberRepository(replicaA).upsertMember({ code, name: code, kind: 'NON_BANK', userId: `${code}@user` });
    const cap = await new PrismaDebitCapRepository(replicaA).setCap({ memberId: member.id, bankId: '2501', capAmount, updatedBy: 'race-test' });
    return { memberId: member.id, capId: cap.id };
  }

  it.each([
    ['one replica', 1],
    ['two replicas sharing the database', 2],
  ])('500 concurrent payments of 10.00 at a cap of 137 x 10.00, %s: exactly 137 succeed', async (_name, replicas) => {
    const { memberId, capId } = await aMemberWithCap('1370.00');
    // One repository per replica, as each service process holds one.
    const repositories = (replicas === 1 ? [replicaA] : [replicaA, replicaB]).map((prisma) => new PrismaBatchRepository(prisma));
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, index) => repositories[index % repositories.length].record(aBatch(memberId, capId, '10.00'), decide)),
    );
    const accepted = results.filter((r) => r.kind === 'recorded' && r.status === 'ACCEPTED').length;
    const rejected = results.filter((r) => r.kind === 'recorded' && r.status === 'REJECTED').length;
    expect([accepted, rejected]).toEqual([137, 363]);
    const caps = new PrismaDebitCapRepository(replicaA);
    expect(await caps.used(capId, SESSION)).toBe('1370.00');
    expect(await new PrismaBatchRepository(replicaA).acceptedTotal(capId, SESSION)).toBe('1370.00');
  }, 120_000);

  it('500 concurrent payments of mixed amounts never push the recorded total past the cap', async () => {
    const { memberId, capId } = await aMemberWithCap('2500.00');
    const amounts = Array.from({ length: 500 }, () => `${randomInt(1, 20)}.${String(randomInt(0, 100)).padStart(2, '0')}`);
    const repositories = [new PrismaBatchRepository(replicaA), new PrismaBatchRepository(replicaB)];
    const results = await Promise.all(amounts.map((amount, index) => repositories[index % 2].record(aBatch(memberId, capId, amount), decide)));
    const acceptedCents = results.reduce((sum, r, index) => {
      if (r.kind !== 'recorded' || r.status !== 'ACCEPTED') return sum;
      const [whole, fraction] = amounts[index].split('.');
      return sum + Number(whole) * 100 + Number(fraction);
    }, 0);
    expect(acceptedCents).toBeLessThanOrEqual(250_000);
    const used = await new PrismaDebitCapRepository(replicaA).used(capId, SESSION);
    expect(used).toBe(`${Math.floor(acceptedCents / 100)}.${String(acceptedCents % 100).padStart(2, '0')}`);
    expect(await new PrismaBatchRepository(replicaA).acceptedTotal(capId, SESSION)).toBe(used);
    // Every request was decided: 500 batches, none lost or doubled.
    expect(results.filter((r) => r.kind === 'recorded')).toHaveLength(500);
  }, 120_000);

  it('a repeated batchId is a duplicate under concurrency: exactly one claim wins, the cap is reserved once', async () => {
    const { memberId, capId } = await aMemberWithCap('1000.00');
    const batch = aBatch(memberId, capId, '10.00');
    const repositories = [new PrismaBatchRepository(replicaA), new PrismaBatchRepository(replicaB)];
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => repositories[index % 2].record(batch, decide)));
    expect(results.filter((r) => r.kind === 'recorded')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(19);
    expect(await new PrismaDebitCapRepository(replicaA).used(capId, SESSION)).toBe('10.00');
  }, 60_000);

  it('release gives the reservation back; a reversed batch frees its amount once', async () => {
    const { memberId, capId } = await aMemberWithCap('20.00');
    const repository = new PrismaBatchRepository(replicaA);
    const first = await repository.record(aBatch(memberId, capId, '20.00'), decide);
    expect(first.kind === 'recorded' && first.status).toBe('ACCEPTED');
    const second = await repository.record(aBatch(memberId, capId, '0.01'), decide);
    expect(second.kind === 'recorded' && second.status).toBe('REJECTED');
    expect(await repository.reverse((first as { batchRowId: bigint }).batchRowId, [])).toBe(true);
    expect(await repository.reverse((first as { batchRowId: bigint }).batchRowId, [])).toBe(false);
    expect(await new PrismaDebitCapRepository(replicaA).used(capId, SESSION)).toBe('0.00');
  }, 60_000);
});
