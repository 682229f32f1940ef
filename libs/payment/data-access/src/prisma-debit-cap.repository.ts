import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@npi/database';
import type { DebitCapRepository } from './ports';
import type { DebitCap, DebitCapWithUsage } from './types';

interface CapRow {
  id: string;
  member_id: string;
  bank_id: string;
  cap_amount: string;
  per_transaction_limit: string | null;
}

/**
 * Debit caps per member per bank (seed 001 section 7.3; ARCHITECTURE "debit cap": cumulative per
 * settlement session). The reservation itself happens inside `PrismaBatchRepository.record` so it
 * commits or rolls back together with the batch; `reserve`/`release` here use the same SQL.
 */
export class PrismaDebitCapRepository implements DebitCapRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async setCap(input: { memberId: string; bankId: string; capAmount: string; perTransactionLimit?: string | null; updatedBy: string }): Promise<DebitCap> {
    const rows = await this.prisma.$queryRawUnsafe<CapRow[]>(
      `INSERT INTO "payment"."debit_cap" (id, member_id, bank_id, cap_amount, per_transaction_limit, updated_by)
       VALUES ($1::uuid, $2::uuid, $3, $4::numeric, $5::numeric, $6)
       ON CONFLICT (member_id, bank_id) DO UPDATE SET cap_amount = EXCLUDED.cap_amount,
         per_transaction_limit = EXCLUDED.per_transaction_limit, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING id::text, member_id::text, bank_id, cap_amount::text, per_transaction_limit::text`,
      randomUUID(),
      input.memberId,
      input.bankId,
      input.capAmount,
      input.perTransactionLimit ?? null,
      input.updatedBy,
    );
    return toCap(rows[0]);
  }

  async find(memberId: string, bankId: string): Promise<DebitCap | null> {
    const rows = await this.prisma.$queryRawUnsafe<CapRow[]>(
      `SELECT id::text, member_id::text, bank_id, cap_amount::text, per_transaction_limit::text
       FROM "payment"."debit_cap" WHERE member_id = $1::uuid AND bank_id = $2`,
      memberId,
      bankId,
    );
    return rows[0] ? toCap(rows[0]) : null;
  }

  /** Every cap of the member with what the given settlement session used of it. */
  async listWithUsage(memberId: string, sessionId: string): Promise<DebitCapWithUsage[]> {
    const rows = await this.prisma.$queryRawUnsafe<(CapRow & { used: string })[]>(
      `SELECT c.id::text, c.member_id::text, c.bank_id, c.cap_amount::text, c.per_transaction_limit::text,
              COALESCE(u.used, 0)::numeric(16,2)::text AS used
       FROM "payment"."debit_cap" c
       LEFT JOIN "payment"."debit_cap_usage" u ON u.cap_id = c.id AND u.session_id = $2
       WHERE c.member_id = $1::uuid ORDER BY c.bank_id`,
      memberId,
      sessionId,
    );
    return rows.map((row) => ({ ...toCap(row), sessionId, used: row.used }));
  }

  /** Used amount of one cap in one session ("0.00" when nothing was reserved yet). */
  async used(capId: string, sessionId: string): Promise<string> {
    const rows = await this.prisma.$queryRawUnsafe<{ used: string }[]>(
      `SELECT used::text FROM "payment"."debit_cap_usage" WHERE cap_id = $1::uuid AND session_id = $2`,
      capId,
      sessionId,
    );
    return rows[0]?.used ?? '0.00';
  }

  /** Atomic reservation outside a batch (tests, tools); answers whether it fit under the cap. */
  async reserve(capId: string, sessionId: string, amount: string): Promise<boolean> {
    await ensureUsageRow(this.prisma as unknown as RawExecutor, capId, sessionId);
    return this.prisma.$transaction((tx) => reserveCap(tx as unknown as RawExecutor, capId, sessionId, amount));
  }

  async release(capId: string, sessionId: string, amount: string): Promise<void> {
    await releaseCap(this.prisma as unknown as RawExecutor, capId, sessionId, amount);
  }
}

/** The subset of a Prisma client / transaction client the cap SQL needs. */
export interface RawExecutor {
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * The whole point of the cap: one conditional UPDATE, never read-then-write. Concurrent
 * reservations on the same (cap, session) row queue on its row lock; each re-evaluates
 * `used + amount <= cap_amount` against the committed value (READ COMMITTED re-check), so no number
 * of requests on any number of replicas can push `used` past the cap. NUMERIC(16,2) throughout.
 */
export async function reserveCap(tx: RawExecutor, capId: string, sessionId: string, amount: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<{ used: string }[]>(
    `UPDATE "payment"."debit_cap_usage" u SET used = u.used + $3::numeric
     FROM "payment"."debit_cap" c
     WHERE u.cap_id = $1::uuid AND u.session_id = $2 AND c.id = u.cap_id AND u.used + $3::numeric <= c.cap_amount
     RETURNING u.used::text AS used`,
    capId,
    sessionId,
    amount,
  );
  return rows.length === 1;
}

/**
 * Makes sure the session's usage row exists. Run OUTSIDE the reserving transaction (autocommit):
 * inside it, `INSERT ... ON CONFLICT` on a row another transaction is updating waits for that
 * transaction, which would serialise whole transactions instead of just the UPDATE.
 */
export async function ensureUsageRow(executor: RawExecutor, capId: string, sessionId: string): Promise<void> {
  await executor.$executeRawUnsafe(
    `INSERT INTO "payment"."debit_cap_usage" (cap_id, session_id, used) VALUES ($1::uuid, $2, 0) ON CONFLICT DO NOTHING`,
    capId,
    sessionId,
  );
}

/** Gives back a reservation (payment rejected or reversed); never below zero. */
export async function releaseCap(tx: RawExecutor, capId: string, sessionId: string, amount: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE "payment"."debit_cap_usage" SET used = GREATEST(used - $3::numeric, 0) WHERE cap_id = $1::uuid AND session_id = $2`,
    capId,
    sessionId,
    amount,
  );
}

function toCap(row: CapRow): DebitCap {
  return { id: row.id, memberId: row.member_id, bankId: row.bank_id, capAmount: row.cap_amount, perTransactionLimit: row.per_transaction_limit };
}
