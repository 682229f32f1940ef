import { writeOutbox } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import type { BatchRepository, CreditOutcome } from './ports';
import { ensureUsageRow, releaseCap } from './prisma-debit-cap.repository';
import type { RawExecutor } from './prisma-debit-cap.repository';
import { Semaphore } from './lib/semaphore';
import type { BatchDecision, BatchKind, BatchRecord, NewBatch, OutboxEventRow, RecordBatchResult, RecordedBatchIds, StoredAnswer } from './types';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const RECORD_BATCH_SQL = `
WITH reserve AS (
  UPDATE "payment"."debit_cap_usage" u SET used = u.used + $18::numeric
  FROM "payment"."debit_cap" c
  WHERE $17::boolean AND u.cap_id = $13::uuid AND u.session_id = $14 AND c.id = u.cap_id AND u.used + $18::numeric <= c.cap_amount
  RETURNING 1),
d AS (SELECT CASE WHEN NOT $17::boolean OR EXISTS (SELECT 1 FROM reserve) THEN $19::jsonb ELSE $20::jsonb END AS j),
b AS (
  INSERT INTO "payment"."batch" (id, member_id, batch_id, kind, status, debtor_agent, debtor_branch, debtor_account, debtor_name, batch_amount,
    batch_currency, category_purpose, batch_count, cap_id, settlement_session_id, response_code, response_message, debit_status, request_hash,
    http_status, response_body, user_id)
  SELECT $1::bigint, $2::uuid, $3, $4::"payment"."batch_kind", (d.j->>'status')::"payment"."batch_status", $5, $6, $7, $8, $9::numeric, $10, $11, $12::int,
    CASE WHEN d.j->>'status' = 'ACCEPTED' THEN $13::uuid END, CASE WHEN d.j->>'status' = 'ACCEPTED' THEN $14 END,
    d.j->>'responseCode', d.j->>'responseMessage', d.j->>'debitStatus', $15, (d.j->>'httpStatus')::int, d.j->'responseBody', $16
  FROM d RETURNING id),
t AS (
  INSERT INTO "payment"."transaction" (id, batch_row_id, instruction_id, end_to_end_id, amount, purpose, creditor_agent, creditor_branch, creditor_name,
    creditor_account, credit_status, response_code, response_message, charge_amount, app_id)
  SELECT x.id, b.id, x."instructionId", x."endToEndId", x.amount, x.purpose, x."creditorAgent", x."creditorBranch", x."creditorName", x."creditorAccount",
    (d.j->>'creditStatus')::"payment"."credit_status", d.j->>'transactionResponseCode', d.j->>'transactionResponseMessage', COALESCE(x."chargeAmount", 0), x."appId"
  FROM jsonb_to_recordset($21::jsonb) AS x(id bigint, "instructionId" text, "endToEndId" text, amount numeric, purpose text, "creditorAgent" text,
    "creditorBranch" text, "creditorName" text, "creditorAccount" text, "chargeAmount" numeric, "appId" text), b, d
  RETURNING 1),
o AS (
  INSERT INTO "payment"."outbox_event" (id, topic, key, payload, headers)
  SELECT e.id, e.topic, e.key, e.payload, e.headers FROM d, jsonb_to_recordset(d.j->'events') AS e(id uuid, topic text, key text, payload jsonb, headers jsonb)
  RETURNING 1)
SELECT (SELECT d.j->>'status' FROM d) AS status, (SELECT count(*) FROM t)::int AS transactions, (SELECT count(*) FROM o)::int AS events`;

/** The unique (member_id, batch_id) index refused a concurrent claim of the same batch id. */
function isBatchIdConflict(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return text.includes('batch_member_batch_id_key') || (text.includes('23505') && text.includes('batch'));
}

const TRANSACTION_SELECT = {
  id: true, instructionId: true, endToEndId: true, amount: true, purpose: true, creditorAgent: true, creditorBranch: true,
  creditorName: true, creditorAccount: true, creditStatus: true, chargeAmount: true, appId: true, responseCode: true, responseMessage: true, updatedAt: true,
} as const;

/**
 * Batches and their transactions. `record` is the one write path of the transaction APIs: claim
 * the (member, batchId), store the transactions, reserve the debit cap, store the answer and the
 * outbox events, all in ONE database transaction, so a batch is never accepted without its
 * reservation and its event, and a crash leaves nothing half-done.
 */
export class PrismaBatchRepository implements BatchRepository {
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
    const outcome = await this.writes.run(async () => {
      if (batch.reservation && !batch.refusal) await ensureUsageRow(this.prisma as unknown as RawExecutor, batch.reservation.capId, batch.reservation.sessionId);
      return this.recordOnce(batch, decide);
    });
    if (outcome) return { kind: 'recorded', ...outcome };
    const existing = await this.findAnswer(batch.memberId, batch.batchId);
    if (!existing) throw new Error('batch id claimed by a transaction that rolled back; retry');
    return { kind: 'duplicate', existing };
  }

  /**
   * ONE autocommit statement does everything (claim, transactions, reservation, answer, outbox), so
   * the cap row is locked only while PostgreSQL runs it and commits: no round trip and no JavaScript
   * between the reservation and the commit. Ids are drawn first so both possible answers can be
   * built and signed before; a concurrent claim of the same batchId fails the whole statement on the
   * unique index (rolling back its reservation too) and is reported as a duplicate.
   */
  private async recordOnce(batch: NewBatch, decide: (ids: RecordedBatchIds) => BatchDecision) {
    const [drawn] = await this.prisma.$queryRawUnsafe<{ batch_id: string; transaction_ids: string[] }[]>(
      `SELECT nextval(pg_get_serial_sequence('"payment"."batch"', 'id'))::text AS batch_id,
              ARRAY(SELECT nextval(pg_get_serial_sequence('"payment"."transaction"', 'id'))::text FROM generate_series(1, $1::int)) AS transaction_ids`,
      batch.transactions.length,
    );
    const batchRowId = BigInt(drawn.batch_id);
    const ids = { batchRowId, transactionIds: drawn.transaction_ids.map((id) => BigInt(id)) };
    const reserving = !batch.refusal && batch.reservation !== null;
    const ifAccepted = decide({ ...ids, reserved: reserving ? true : null });
    const ifCapExceeded = reserving ? decide({ ...ids, reserved: false }) : null;
    const transactions = batch.transactions.map((t, index) => ({ ...t, id: drawn.transaction_ids[index] }));
    let rows: { status: string }[];
    try {
      rows = await this.prisma.$queryRawUnsafe<{ status: string }[]>(
        RECORD_BATCH_SQL,
        batchRowId,
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
        reserving,
        batch.reservation?.amount ?? '0',
        JSON.stringify(ifAccepted),
        ifCapExceeded ? JSON.stringify(ifCapExceeded) : null,
        JSON.stringify(transactions),
      );
    } catch (error) {
      if (isBatchIdConflict(error)) return null;
      throw error;
    }
    const decision = rows[0]?.status === 'ACCEPTED' ? ifAccepted : (ifCapExceeded ?? ifAccepted);
    return { httpStatus: decision.httpStatus, responseBody: decision.responseBody, batchRowId, status: decision.status };
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
    outcome: (record: BatchRecord) => { statuses: Map<bigint, CreditOutcome>; events: OutboxEventRow[] },
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

async function insertOutbox(tx: Tx, events: readonly OutboxEventRow[]): Promise<void> {
  await writeOutbox(tx, 'payment', events);
}

type BatchRow = Awaited<ReturnType<PrismaClient['paymentBatch']['findFirstOrThrow']>> & {
  transactions: (Omit<BatchRecord['transactions'][number], 'amount' | 'chargeAmount'> & { amount: { toFixed(digits: number): string }; chargeAmount: { toFixed(digits: number): string } })[];
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
    userId: row.userId,
    createdAt: row.createdAt,
    transactions: row.transactions.map((t) => ({ ...t, amount: t.amount.toFixed(2), chargeAmount: t.chargeAmount.toFixed(2) })),
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
