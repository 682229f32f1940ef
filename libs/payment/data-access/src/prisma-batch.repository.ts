import { GroupCommit, outboxInsertSql, outboxRowsParam, preparedStatement, writeOutbox } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { amountToPaisa, paisaToAmount } from '@npi/signature-token';
import type { BatchRepository, CreditOutcome } from './ports';
import { releaseCap } from './prisma-debit-cap.repository';
import type { RawExecutor } from './prisma-debit-cap.repository';
import type { BatchDecision, BatchKind, BatchRecord, NewBatch, OutboxEventRow, RecordBatchResult, RecordedBatchIds, StoredAnswer } from './types';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * The rows of a whole group of batches in one statement: the cap usage rows' new totals, the
 * batches, their transactions and their outbox rows (jsonb recordsets, built in JavaScript once
 * each batch's reservation was decided under the row locks).
 */
const RECORD_GROUP_SQL = preparedStatement(`
WITH usage AS (
  UPDATE "payment"."debit_cap_usage" u SET used = v.used
  FROM jsonb_to_recordset($1::jsonb) AS v(cap_id uuid, session_id text, used numeric)
  WHERE u.cap_id = v.cap_id AND u.session_id = v.session_id
  RETURNING 1),
b AS (
  INSERT INTO "payment"."batch" (id, member_id, batch_id, kind, status, debtor_agent, debtor_branch, debtor_account, debtor_name, batch_amount,
    batch_currency, category_purpose, batch_count, cap_id, settlement_session_id, response_code, response_message, debit_status, request_hash,
    http_status, response_body, user_id)
  SELECT x.id, x.member_id, x.batch_id, x.kind::"payment"."batch_kind", x.status::"payment"."batch_status", x.debtor_agent, x.debtor_branch,
    x.debtor_account, x.debtor_name, x.batch_amount, x.batch_currency, x.category_purpose, x.batch_count, x.cap_id, x.settlement_session_id,
    x.response_code, x.response_message, x.debit_status, x.request_hash, x.http_status, x.response_body, x.user_id
  FROM jsonb_to_recordset($2::jsonb) AS x(id bigint, member_id uuid, batch_id text, kind text, status text, debtor_agent text, debtor_branch text,
    debtor_account text, debtor_name text, batch_amount numeric, batch_currency text, category_purpose text, batch_count int, cap_id uuid,
    settlement_session_id text, response_code text, response_message text, debit_status text, request_hash text, http_status int,
    response_body jsonb, user_id text)
  RETURNING id),
t AS (
  INSERT INTO "payment"."transaction" (id, batch_row_id, instruction_id, end_to_end_id, amount, purpose, creditor_agent, creditor_branch, creditor_name,
    creditor_account, credit_status, response_code, response_message, charge_amount, app_id)
  SELECT x.id, x.batch_row_id, x."instructionId", x."endToEndId", x.amount, x.purpose, x."creditorAgent", x."creditorBranch", x."creditorName",
    x."creditorAccount", x.credit_status::"payment"."credit_status", x.response_code, x.response_message, COALESCE(x."chargeAmount", 0), x."appId"
  FROM jsonb_to_recordset($3::jsonb) AS x(id bigint, batch_row_id bigint, "instructionId" text, "endToEndId" text, amount numeric, purpose text,
    "creditorAgent" text, "creditorBranch" text, "creditorName" text, "creditorAccount" text, credit_status text, response_code text,
    response_message text, "chargeAmount" numeric, "appId" text)
  RETURNING 1),
o AS (${outboxInsertSql('payment', 4)}
  RETURNING 1)
SELECT (SELECT count(*) FROM b)::int AS batches, (SELECT count(*) FROM t)::int AS transactions, (SELECT count(*) FROM o)::int AS events`);

/** Row ids for a group: its batches and their transactions. */
const DRAW_IDS_SQL = preparedStatement(`
SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('"payment"."batch"', 'id'))::text FROM generate_series(1, $1::int)) AS batch_ids,
       ARRAY(SELECT nextval(pg_get_serial_sequence('"payment"."transaction"', 'id'))::text FROM generate_series(1, $2::int)) AS transaction_ids`);

/** The group's cap usage rows, locked in key order (two replicas' groups never deadlock). */
const LOCK_USAGE_SQL = preparedStatement(`
SELECT u.cap_id::text AS cap_id, u.session_id, u.used::text AS used, c.cap_amount::text AS cap_amount
  FROM "payment"."debit_cap_usage" u
  JOIN "payment"."debit_cap" c ON c.id = u.cap_id
  JOIN jsonb_to_recordset($1::jsonb) AS p(cap_id uuid, session_id text) ON p.cap_id = u.cap_id AND p.session_id = u.session_id
 ORDER BY u.cap_id, u.session_id
   FOR UPDATE OF u`);

/** The unique (member_id, batch_id) index refused a concurrent claim of the same batch id. */
function isBatchIdConflict(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return text.includes('batch_member_batch_id_key') || (text.includes('23505') && text.includes('batch'));
}

const TRANSACTION_SELECT = {
  id: true, instructionId: true, endToEndId: true, amount: true, purpose: true, creditorAgent: true, creditorBranch: true,
  creditorName: true, creditorAccount: true, creditStatus: true, chargeAmount: true, appId: true, responseCode: true, responseMessage: true, updatedAt: true,
} as const;

/** One batch waiting in the write group, with the answers its caller built for either outcome. */
interface PendingRecord {
  batch: NewBatch;
  decide: (ids: RecordedBatchIds) => BatchDecision;
}

type RecordedOutcome = { httpStatus: number; responseBody: object; batchRowId: bigint; status: 'ACCEPTED' | 'REJECTED' };

/**
 * Batches and their transactions. `record` is the one write path of the transaction APIs: claim
 * the (member, batchId), store the transactions, reserve the debit cap, store the answer and the
 * outbox events, all in ONE database transaction, so a batch is never accepted without its
 * reservation and its event, and a crash leaves nothing half-done.
 *
 * Concurrent batches are group-committed: every payment of a member at one bank reserves on the
 * same cap row, so one transaction per payment would queue them behind each other's row lock and
 * WAL flush. A group takes the row locks once (`FOR UPDATE`, in key order), decides each batch in
 * arrival order against the locked totals, and writes every row in one statement and one commit.
 * A group that fails (a batchId claimed concurrently elsewhere) is retried batch by batch, so only
 * the duplicate is refused.
 */
export class PrismaBatchRepository implements BatchRepository {
  private readonly recorder: GroupCommit<PendingRecord, RecordedOutcome | null>;
  /** (cap, session) usage rows known to exist: they are created once and never deleted. */
  private readonly knownUsageRows = new Set<string>();

  /** @param writeGroupsInFlight write transactions at once; keep it below the pool size so reads still get a connection. */
  constructor(
    private readonly prisma: PrismaClient,
    writeGroupsInFlight = 2,
  ) {
    this.recorder = new GroupCommit((items) => this.recordGroup(items), { maxBatch: 64, maxInFlight: writeGroupsInFlight });
  }

  async findAnswer(memberId: string, batchId: string): Promise<StoredAnswer | null> {
    const row = await this.prisma.paymentBatch.findUnique({
      where: { memberId_batchId: { memberId, batchId } },
      select: { requestHash: true, httpStatus: true, responseBody: true },
    });
    return row ? { requestHash: row.requestHash, httpStatus: row.httpStatus, responseBody: row.responseBody as object } : null;
  }

  async record(batch: NewBatch, decide: (ids: RecordedBatchIds) => BatchDecision): Promise<RecordBatchResult> {
    const outcome = await this.recorder.submit({ batch, decide });
    if (outcome) return { kind: 'recorded', ...outcome };
    const existing = await this.findAnswer(batch.memberId, batch.batchId);
    if (!existing) throw new Error('batch id claimed by a transaction that rolled back; retry');
    return { kind: 'duplicate', existing };
  }

  /**
   * Ids are drawn and both possible answers built (and signed) before any lock is taken; under the
   * locks there is only SQL: lock the usage rows, decide in arrival order, one write statement, commit.
   * A lone batch whose batchId is already claimed answers null (the caller reports the duplicate).
   */
  private async recordGroup(items: PendingRecord[]): Promise<(RecordedOutcome | null)[]> {
    const transactionCount = items.reduce((sum, item) => sum + item.batch.transactions.length, 0);
    const [drawn] = await this.prisma.$queryRawUnsafe<{ batch_ids: string[]; transaction_ids: string[] }[]>(
      DRAW_IDS_SQL,
      items.length,
      transactionCount,
    );
    let nextTransaction = 0;
    const prepared = items.map(({ batch, decide }, index) => {
      const transactionIds = drawn.transaction_ids.slice(nextTransaction, nextTransaction + batch.transactions.length);
      nextTransaction += batch.transactions.length;
      const ids = { batchRowId: BigInt(drawn.batch_ids[index]), transactionIds: transactionIds.map((id) => BigInt(id)) };
      const reservation = !batch.refusal ? batch.reservation : null;
      return {
        batch,
        ids,
        transactionIds,
        reservation,
        ifAccepted: decide({ ...ids, reserved: reservation ? true : null }),
        ifCapExceeded: reservation ? decide({ ...ids, reserved: false }) : null,
      };
    });
    const usageKey = (capId: string, sessionId: string) => `${capId}|${sessionId}`;
    const reservations = new Map<string, { capId: string; sessionId: string }>();
    for (const { reservation } of prepared) if (reservation) reservations.set(usageKey(reservation.capId, reservation.sessionId), reservation);
    await this.ensureUsageRows([...reservations.entries()].filter(([key]) => !this.knownUsageRows.has(key)).map(([, r]) => r));

    try {
      const outcomes = await this.prisma.$transaction(async (tx) => {
        const totals = new Map<string, { used: bigint; cap: bigint; changed: boolean }>();
        if (reservations.size > 0) {
          const pairs = [...reservations.values()].map((r) => ({ cap_id: r.capId, session_id: r.sessionId }));
          const locked = await tx.$queryRawUnsafe<{ cap_id: string; session_id: string; used: string; cap_amount: string }[]>(
            LOCK_USAGE_SQL,
            JSON.stringify(pairs),
          );
          for (const row of locked) totals.set(usageKey(row.cap_id, row.session_id), { used: amountToPaisa(row.used), cap: amountToPaisa(row.cap_amount), changed: false });
        }
        const missing = [...reservations.keys()].filter((key) => !totals.has(key));
        if (missing.length > 0) {
          // Never expected (usage rows are not deleted); forget them so the retry creates them again.
          for (const key of missing) this.knownUsageRows.delete(key);
          throw new Error('debit cap usage row missing; retry');
        }
        const decided = prepared.map((entry) => {
          if (!entry.reservation) return { entry, decision: entry.ifAccepted };
          const total = totals.get(usageKey(entry.reservation.capId, entry.reservation.sessionId));
          const amount = amountToPaisa(entry.reservation.amount);
          if (!total || total.used + amount > total.cap) return { entry, decision: entry.ifCapExceeded ?? entry.ifAccepted };
          total.used += amount;
          total.changed = true;
          return { entry, decision: entry.ifAccepted };
        });
        const usage = [...reservations.entries()]
          .map(([key, r]) => ({ key, r, total: totals.get(key) }))
          .filter((u) => u.total?.changed)
          .map(({ r, total }) => ({ cap_id: r.capId, session_id: r.sessionId, used: paisaToAmount((total as { used: bigint }).used) }));
        const batches = decided.map(({ entry: { batch, ids, reservation }, decision }) => {
          const accepted = decision.status === 'ACCEPTED';
          return {
            id: ids.batchRowId.toString(),
            member_id: batch.memberId,
            batch_id: batch.batchId,
            kind: batch.kind,
            status: decision.status,
            debtor_agent: batch.debtorAgent,
            debtor_branch: batch.debtorBranch,
            debtor_account: batch.debtorAccount,
            debtor_name: batch.debtorName,
            batch_amount: batch.batchAmount,
            batch_currency: batch.batchCurrency,
            category_purpose: batch.categoryPurpose,
            batch_count: batch.transactions.length,
            cap_id: accepted && reservation ? reservation.capId : null,
            settlement_session_id: accepted && reservation ? reservation.sessionId : null,
            response_code: decision.responseCode,
            response_message: decision.responseMessage,
            debit_status: decision.debitStatus,
            request_hash: batch.requestHash,
            http_status: decision.httpStatus,
            response_body: decision.responseBody,
            user_id: batch.userId,
          };
        });
        const transactions = decided.flatMap(({ entry: { batch, ids, transactionIds }, decision }) =>
          batch.transactions.map((t, index) => ({
            ...t,
            id: transactionIds[index],
            batch_row_id: ids.batchRowId.toString(),
            credit_status: decision.creditStatus,
            response_code: decision.transactionResponseCode,
            response_message: decision.transactionResponseMessage,
          })),
        );
        await tx.$queryRawUnsafe(
          RECORD_GROUP_SQL,
          JSON.stringify(usage),
          JSON.stringify(batches),
          JSON.stringify(transactions),
          outboxRowsParam(decided.flatMap(({ decision }) => decision.events)),
        );
        return decided.map(({ entry, decision }) => ({ httpStatus: decision.httpStatus, responseBody: decision.responseBody, batchRowId: entry.ids.batchRowId, status: decision.status }));
      });
      return outcomes;
    } catch (error) {
      // Alone, a claimed batchId is the caller's duplicate; in a group it fails the group, which is retried batch by batch.
      if (items.length === 1 && isBatchIdConflict(error)) return [null];
      throw error;
    }
  }

  private async ensureUsageRows(rows: { capId: string; sessionId: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.$executeRawUnsafe(
      `INSERT INTO "payment"."debit_cap_usage" (cap_id, session_id, used)
       SELECT p.cap_id, p.session_id, 0 FROM jsonb_to_recordset($1::jsonb) AS p(cap_id uuid, session_id text)
       ON CONFLICT DO NOTHING`,
      JSON.stringify(rows.map((r) => ({ cap_id: r.capId, session_id: r.sessionId }))),
    );
    // One row per cap and settlement session: forget earlier sessions' rows rather than grow for ever.
    if (this.knownUsageRows.size > 10_000) this.knownUsageRows.clear();
    for (const r of rows) this.knownUsageRows.add(`${r.capId}|${r.sessionId}`);
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
        if (status.creditStatus === 'RJCT') released += amountToPaisa(transaction.amount);
      }
      if (released > 0n && record.capId && record.settlementSessionId) {
        await releaseCap(tx as unknown as RawExecutor, record.capId, record.settlementSessionId, paisaToAmount(released));
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

