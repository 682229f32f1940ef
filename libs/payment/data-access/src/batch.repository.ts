import type { PrismaClient } from '@npi/database';
import { releaseCap, reserveCap } from './debit-cap.repository';
import type { RawExecutor } from './debit-cap.repository';
import { Semaphore } from './lib/semaphore';
import type { BatchDecision, BatchKind, BatchRecord, CreditStatus, NewBatch, OutboxEventRow, RecordBatchResult, RecordedBatchIds, StoredAnswer } from './types';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const TRANSACTION_SELECT = {
  id: true, instructionId: true, endToEndId: true, amount: true, purpose: true, creditorAgent: true, creditorBranch: true,
  creditorName: true, creditorAccount: true, creditStatus: true, responseCode: true, responseMessage: true, updatedAt: true,
} as const;

/**
 * Batches and their transactions. `record` is the one write path of the transaction APIs: claim
 * the (member, batchId), store the transactions, reserve the debit cap, store the answer and the
 * outbox events, all in ONE database transaction, so a batch is never accepted without its
 * reservation and its event, and a crash leaves nothing half-done.
 */
export class BatchRepository {
  private readonly writes: Semaphore;

  /** @param maxConcurrentWrites keep it below the pool size so reads still get a connection. */
  constructor(
    private readonly prisma: PrismaClient,
    maxConcurrentWrites = 8,
  ) {
    this.writes = new Semaphore(maxConcurrentWrites);
  }

  async findAnswer(memberId: string, batchId: string): Promise<StoredAnswer | null> {
    const row = await this.prisma.paymentBatch.findUnique({
      where: { memberId_batchId: { memberId, batchId } },
      select: { requestHash: true, httpStatus: true, responseBody: true },
    });
    return row ? { requestHash: row.requestHash, httpStatus: row.httpStatus, responseBody: row.responseBody as object } : null;
  }

  async record(batch: NewBatch, decide: (ids: RecordedBatchIds) => BatchDecision): Promise<RecordBatchResult> {
    const outcome = await this.writes.run(() => this.recordOnce(batch, decide));
    if (outcome) return { kind: 'recorded', ...outcome };
    const existing = await this.findAnswer(batch.memberId, batch.batchId);
    if (!existing) throw new Error('batch id claimed by a transaction that rolled back; retry');
    return { kind: 'duplicate', existing };
  }

  private recordOnce(batch: NewBatch, decide: (ids: RecordedBatchIds) => BatchDecision) {
    return this.prisma.$transaction(
      async (tx) => {
        // NCHL `99`: the unique (member_id, batch_id) claims the batch id. ON CONFLICT DO NOTHING waits
        // for a concurrent claim of the same id to commit, then yields nothing: a duplicate.
        const claimed = await tx.$queryRawUnsafe<{ id: bigint }[]>(
          `INSERT INTO "payment"."batch" (member_id, batch_id, kind, status, debtor_agent, debtor_branch, debtor_account, debtor_name,
             batch_amount, batch_currency, category_purpose, batch_count, cap_id, settlement_session_id, response_code,
             response_message, request_hash, http_status, response_body, user_id)
           VALUES ($1::uuid, $2, $3::"payment"."batch_kind", 'REJECTED', $4, $5, $6, $7, $8::numeric, $9, $10, $11, $12::uuid, $13,
             'PENDING', 'PENDING', $14, 0, '{}'::jsonb, $15)
           ON CONFLICT (member_id, batch_id) DO NOTHING RETURNING id`,
          batch.memberId,
          batch.batchId,
          batch.kind,
          batch.debtorAgent,
          batch.debtorBranch,
          batch.debtorAccount,
          batch.debtorName,
          batch.batchAmount,
          batch.batchCurrency,
          batch.categoryPurpose,
          batch.transactions.length,
          batch.reservation?.capId ?? null,
          batch.reservation?.sessionId ?? null,
          batch.requestHash,
          batch.userId,
        );
        if (claimed.length === 0) return null;
        const batchRowId = BigInt(claimed[0].id);
        const transactions = await tx.paymentTransaction.createManyAndReturn({
          data: batch.transactions.map((t) => ({ ...t, batchRowId, responseCode: 'PENDING', responseMessage: 'PENDING' })),
          select: { id: true },
        });
        // Both possible answers are built (and signed) BEFORE the reservation, so the cap row's lock is
        // held only for the reservation, one statement writing the chosen answer, and the commit.
        const ids = { batchRowId, transactionIds: transactions.map((t) => t.id) };
        const reserving = !batch.refusal && batch.reservation !== null;
        const ifAccepted = decide({ ...ids, reserved: reserving ? true : null });
        const ifCapExceeded = reserving ? decide({ ...ids, reserved: false }) : undefined;
        let decision = ifAccepted;
        if (reserving && batch.reservation) {
          const reserved = await reserveCap(tx as unknown as RawExecutor, batch.reservation.capId, batch.reservation.sessionId, batch.reservation.amount);
          if (!reserved && ifCapExceeded) decision = ifCapExceeded;
        }
        await applyDecision(tx, batchRowId, decision);
        return { httpStatus: decision.httpStatus, responseBody: decision.responseBody, batchRowId, status: decision.status };
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }

  async findByBatchId(memberId: string, batchId: string, kinds: readonly BatchKind[]): Promise<BatchRecord | null> {
    const row = await this.prisma.paymentBatch.findFirst({
      where: { memberId, batchId, kind: { in: [...kinds] } },
      include: { transactions: { select: TRANSACTION_SELECT, orderBy: { id: 'asc' } } },
    });
    return row ? toRecord(row) : null;
  }

  async listByDate(memberId: string, from: Date, to: Date, kinds: readonly BatchKind[], limit = 1000): Promise<BatchRecord[]> {
    const rows = await this.prisma.paymentBatch.findMany({
      where: { memberId, kind: { in: [...kinds] }, createdAt: { gte: from, lt: to } },
      include: { transactions: { select: TRANSACTION_SELECT, orderBy: { id: 'asc' } } },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(toRecord);
  }

  /** Accepted batches whose transactions still wait for their final credit status. */
  async findById(batchRowId: bigint): Promise<BatchRecord | null> {
    const row = await this.prisma.paymentBatch.findUnique({
      where: { id: batchRowId },
      include: { transactions: { select: TRANSACTION_SELECT, orderBy: { id: 'asc' } } },
    });
    return row ? toRecord(row) : null;
  }

  /**
   * Moves the accepted batch's open transactions to their final credit status (settlement port),
   * with the events in the same transaction. A rejected credit releases its share of the cap.
   * Answers the number of transactions moved (0 when already final: redelivery is harmless).
   */
  async settle(
    batchRowId: bigint,
    outcome: (record: BatchRecord) => { statuses: Map<bigint, { creditStatus: CreditStatus; responseCode: string; responseMessage: string }>; events: OutboxEventRow[] },
  ): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRawUnsafe<{ id: bigint }[]>(
        `SELECT id FROM "payment"."batch" WHERE id = $1 AND status = 'ACCEPTED' FOR UPDATE`,
        batchRowId,
      );
      if (locked.length === 0) return 0;
      const row = await tx.paymentBatch.findUniqueOrThrow({
        where: { id: batchRowId },
        include: { transactions: { select: TRANSACTION_SELECT, orderBy: { id: 'asc' } } },
      });
      const record = toRecord(row);
      const open = record.transactions.filter((t) => t.creditStatus !== 'ACSC' && t.creditStatus !== 'RJCT');
      if (open.length === 0) return 0;
      const decided = outcome({ ...record, transactions: open });
      let released = 0n;
      for (const transaction of open) {
        const status = decided.statuses.get(transaction.id);
        if (!status) continue;
        await tx.paymentTransaction.update({ where: { id: transaction.id }, data: { ...status, updatedAt: new Date() } });
        if (status.creditStatus === 'RJCT') released += cents(transaction.amount);
      }
      if (released > 0n && record.capId && record.settlementSessionId) {
        await releaseCap(tx as unknown as RawExecutor, record.capId, record.settlementSessionId, fromCents(released));
      }
      await insertOutbox(tx, decided.events);
      return open.length;
    });
  }

  /** Reverses an accepted batch: status REVERSED and its whole reservation released, atomically. */
  async reverse(batchRowId: bigint, events: readonly OutboxEventRow[]): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<{ cap_id: string | null; settlement_session_id: string | null; batch_amount: string }[]>(
        `UPDATE "payment"."batch" SET status = 'REVERSED' WHERE id = $1 AND status = 'ACCEPTED'
         RETURNING cap_id::text, settlement_session_id, batch_amount::text`,
        batchRowId,
      );
      if (rows.length === 0) return false;
      const [row] = rows;
      if (row.cap_id && row.settlement_session_id) await releaseCap(tx as unknown as RawExecutor, row.cap_id, row.settlement_session_id, row.batch_amount);
      await tx.paymentTransaction.updateMany({ where: { batchRowId }, data: { creditStatus: 'RJCT', responseCode: 'RVSD', responseMessage: 'reversed' } });
      await insertOutbox(tx, events);
      return true;
    });
  }

  /** Sum of accepted batch amounts for one cap and session: the race test's independent check. */
  async acceptedTotal(capId: string, sessionId: string): Promise<string> {
    const rows = await this.prisma.$queryRawUnsafe<{ total: string }[]>(
      `SELECT COALESCE(SUM(batch_amount), 0)::numeric(16,2)::text AS total FROM "payment"."batch"
       WHERE cap_id = $1::uuid AND settlement_session_id = $2 AND status = 'ACCEPTED'`,
      capId,
      sessionId,
    );
    return rows[0].total;
  }
}

/** One round trip: the batch's answer, its transactions' statuses and its outbox events. */
async function applyDecision(tx: Tx, batchRowId: bigint, decision: BatchDecision): Promise<void> {
  const accepted = decision.status === 'ACCEPTED';
  await tx.$executeRawUnsafe(
    `WITH b AS (
       UPDATE "payment"."batch" SET status = $2::"payment"."batch_status", response_code = $3, response_message = $4, debit_status = $5,
         http_status = $6, response_body = $7::jsonb,
         cap_id = CASE WHEN $8 THEN cap_id ELSE NULL END, settlement_session_id = CASE WHEN $8 THEN settlement_session_id ELSE NULL END
       WHERE id = $1 RETURNING id),
     t AS (
       UPDATE "payment"."transaction" SET credit_status = $9::"payment"."credit_status", response_code = $10, response_message = $11
       WHERE batch_row_id = $1 RETURNING id),
     o AS (
       INSERT INTO "payment"."outbox_event" (id, topic, key, payload, headers)
       SELECT e.id, e.topic, e.key, e.payload, e.headers FROM jsonb_to_recordset($12::jsonb) AS e(id uuid, topic text, key text, payload jsonb, headers jsonb)
       RETURNING id)
     SELECT (SELECT count(*) FROM b) + (SELECT count(*) FROM t) + (SELECT count(*) FROM o)`,
    batchRowId,
    decision.status,
    decision.responseCode,
    decision.responseMessage,
    decision.debitStatus,
    decision.httpStatus,
    JSON.stringify(decision.responseBody),
    accepted,
    decision.creditStatus,
    decision.transactionResponseCode,
    decision.transactionResponseMessage,
    JSON.stringify(decision.events),
  );
}

async function insertOutbox(tx: Tx, events: readonly OutboxEventRow[]): Promise<void> {
  if (events.length === 0) return;
  await tx.paymentOutboxEvent.createMany({
    data: events.map((event) => ({ id: event.id, topic: event.topic, key: event.key, payload: event.payload, headers: event.headers })),
  });
}

type BatchRow = Awaited<ReturnType<PrismaClient['paymentBatch']['findFirstOrThrow']>> & {
  transactions: (Omit<BatchRecord['transactions'][number], 'amount'> & { amount: { toFixed(digits: number): string } })[];
};

function toRecord(row: BatchRow): BatchRecord {
  return {
    id: row.id,
    memberId: row.memberId,
    batchId: row.batchId,
    kind: row.kind,
    status: row.status,
    debtorAgent: row.debtorAgent,
    debtorBranch: row.debtorBranch,
    debtorAccount: row.debtorAccount,
    debtorName: row.debtorName,
    batchAmount: row.batchAmount.toFixed(2),
    batchCurrency: row.batchCurrency,
    categoryPurpose: row.categoryPurpose,
    batchCount: row.batchCount,
    capId: row.capId,
    settlementSessionId: row.settlementSessionId,
    responseCode: row.responseCode,
    responseMessage: row.responseMessage,
    debitStatus: row.debitStatus,
    createdAt: row.createdAt,
    transactions: row.transactions.map((t) => ({ ...t, amount: t.amount.toFixed(2) })),
  };
}

function cents(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
}

function fromCents(value: bigint): string {
  const whole = value / 100n;
  const rest = value % 100n;
  return `${whole}.${rest.toString().padStart(2, '0')}`;
}
