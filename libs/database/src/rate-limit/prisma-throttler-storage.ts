import type { PrismaClient } from '../prisma-client';
import { SERVICE_SCHEMAS } from '../outbox/service-schema';
import type { ServiceSchema } from '../outbox/service-schema';
import { GroupCommit } from '../group-commit';

/** What `@nestjs/throttler` expects back from its storage (seconds, like its in-memory storage). */
export interface RateLimitRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

export interface PrismaThrottlerStorageOptions {
  prisma: PrismaClient;
  schema: ServiceSchema;
  /** The service's clock (tests move a ManualClock); replicas' clocks are assumed NTP-close. */
  now: () => Date;
  /** How often expired rows are deleted (at most once per interval, piggybacked on a hit). */
  sweepIntervalMs?: number;
  /**
   * Batches of hits being written at once (default 2). 1 makes fewer, larger statements (less CPU
   * per hit) for a service whose limited route is its hot path.
   */
  maxInFlight?: number;
}

/** One hit waiting for its batch. */
interface Hit {
  key: string;
  ttlMs: number;
  limit: number;
  blockMs: number;
  now: Date;
}

/** A key's row after the batch, with the row as it was before (locked by the same statement). */
interface BatchRow {
  key: string;
  hits: number;
  windowEndsAt: Date;
  blockedUntil: Date | null;
  inserted: boolean;
  priorHits: number | null;
  priorWindowEndsAt: Date | null;
  priorBlockedUntil: Date | null;
}

/**
 * A `@nestjs/throttler` storage in PostgreSQL (`<schema>.rate_limit_bucket`), so a limit holds
 * across every replica of a service. Fixed window per key; past the limit the key is blocked for
 * `blockDuration` (hits while blocked do not extend the block); a block that has run out starts a
 * fresh window. Structurally a `ThrottlerStorage` (this data-access lib does not import Nest).
 *
 * Concurrent hits (every rule of every request waiting meanwhile) share one autocommit statement
 * (group commit): a multi-row `INSERT ... ON CONFLICT DO UPDATE` that adds each key's hits at
 * once, so the limiter costs a fraction of a commit per request instead of one per rule. One
 * statement cannot update a row twice, so a batch's hits on one key are folded into one row and
 * each caller is handed the count it would have seen had the hits been applied one by one; to know
 * where the batch started, the statement locks the existing rows (in key order) and reads them
 * before its upsert. Every count stays in the row, so no hit is lost across replicas.
 */
export class PrismaThrottlerStorage {
  private readonly table: string;
  private lastSweep = 0;
  private readonly hits: GroupCommit<Hit, RateLimitRecord>;

  constructor(private readonly options: PrismaThrottlerStorageOptions) {
    if (!SERVICE_SCHEMAS.includes(options.schema)) throw new Error(`unknown schema ${options.schema}`);
    this.table = `"${options.schema}"."rate_limit_bucket"`;
    this.hits = new GroupCommit<Hit, RateLimitRecord>((batch) => this.writeBatch(batch), { maxBatch: 256, maxInFlight: options.maxInFlight ?? 2 });
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<RateLimitRecord> {
    const now = this.options.now();
    this.maybeSweep(now);
    return this.hits.submit({
      key: `${throttlerName}:${key}`,
      ttlMs: Math.ceil(ttl),
      limit: Math.floor(limit),
      blockMs: Math.ceil(blockDuration > 0 ? blockDuration : ttl),
      now,
    });
  }

  private async writeBatch(batch: Hit[]): Promise<RateLimitRecord[]> {
    // One clock reading per batch (its hits were taken within a round trip of each other).
    const now = new Date(Math.max(...batch.map((hit) => hit.now.getTime())));
    // Fold the batch by key; a key's rule (ttl, limit, block) is the same for all its hits.
    const byKey = new Map<string, { hit: Hit; count: number }>();
    for (const hit of batch) {
      const folded = byKey.get(hit.key);
      if (folded) folded.count += 1;
      else byKey.set(hit.key, { hit, count: 1 });
    }
    const input = [...byKey.values()].map(({ hit, count }) => ({ key: hit.key, n: count, ttl: hit.ttlMs, lim: hit.limit, blk: hit.blockMs }));
    // Per key, from the row (b) as it stands: blocked → unchanged; window or block over → a fresh
    // window counting from 0; else counting on from b.hits. Counting stops at the hit that blocks
    // (limit + 1), as one-by-one hits would (later ones see the block).
    const base = `CASE WHEN b.window_ends_at <= $2::timestamptz OR b.blocked_until <= $2::timestamptz THEN 0 ELSE b.hits END`;
    const counted = `LEAST(excluded.hits, GREATEST(i.lim + 1 - ${base}, 1))`;
    const rows = await this.options.prisma.$queryRawUnsafe<BatchRow[]>(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(key text, n int, ttl int, lim int, blk int)),
       prior AS (
         SELECT b.key, b.hits, b.window_ends_at, b.blocked_until FROM ${this.table} b JOIN input i ON i.key = b.key
         ORDER BY b.key FOR UPDATE OF b),
       upserted AS (
         INSERT INTO ${this.table} AS b (key, hits, window_ends_at, blocked_until)
         SELECT i.key, LEAST(i.n, i.lim + 1), $2::timestamptz + i.ttl * interval '1 millisecond',
                CASE WHEN LEAST(i.n, i.lim + 1) > i.lim THEN $2::timestamptz + i.blk * interval '1 millisecond' END
         FROM input i LEFT JOIN prior p ON p.key = i.key ORDER BY i.key
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE
             WHEN b.blocked_until > $2::timestamptz THEN b.hits
             ELSE ${base} + (SELECT ${counted} FROM input i WHERE i.key = b.key) END,
           window_ends_at = CASE
             WHEN b.blocked_until > $2::timestamptz THEN b.window_ends_at
             WHEN b.window_ends_at <= $2::timestamptz OR b.blocked_until <= $2::timestamptz THEN excluded.window_ends_at
             ELSE b.window_ends_at END,
           blocked_until = CASE
             WHEN b.blocked_until > $2::timestamptz THEN b.blocked_until
             ELSE (SELECT CASE WHEN ${base} + ${counted} > i.lim THEN $2::timestamptz + i.blk * interval '1 millisecond' END
                   FROM input i WHERE i.key = b.key) END
         RETURNING b.key, b.hits, b.window_ends_at, b.blocked_until, (b.xmax = 0) AS inserted)
       SELECT u.key, u.hits, u.window_ends_at AS "windowEndsAt", u.blocked_until AS "blockedUntil", u.inserted,
              p.hits AS "priorHits", p.window_ends_at AS "priorWindowEndsAt", p.blocked_until AS "priorBlockedUntil"
       FROM upserted u LEFT JOIN prior p ON p.key = u.key`,
      JSON.stringify(input),
      now.toISOString(),
    );
    const outcomes = new Map(rows.map((row) => [row.key, { row, handed: 0 }]));
    return batch.map((hit) => {
      const outcome = outcomes.get(hit.key);
      if (!outcome) throw new Error(`rate limit: no row returned for ${hit.key}`);
      outcome.handed += 1;
      return recordOf(outcome.row, outcome.handed, hit.limit, now);
    });
  }

  /** Deletes rows whose window and block are both over (they would start afresh anyway). */
  async sweep(now: Date = this.options.now()): Promise<number> {
    return this.options.prisma.$executeRawUnsafe(
      `DELETE FROM ${this.table} WHERE window_ends_at <= $1::timestamptz AND (blocked_until IS NULL OR blocked_until <= $1::timestamptz)`,
      now.toISOString(),
    );
  }

  private maybeSweep(now: Date): void {
    const interval = this.options.sweepIntervalMs ?? 60_000;
    if (now.getTime() - this.lastSweep < interval) return;
    this.lastSweep = now.getTime();
    // Housekeeping only: a failed sweep is retried on a later hit.
    void this.sweep(now).catch(() => undefined);
  }
}

/**
 * What the `nth` hit of a batch on `row`'s key sees: the count it would have had with the batch's
 * hits applied one by one.
 */
function recordOf(row: BatchRow, nth: number, limit: number, now: Date): RateLimitRecord {
  const at = now.getTime();
  const blockedAtEnd = row.blockedUntil !== null && row.blockedUntil.getTime() > at;
  if (!row.inserted && row.priorHits === null) {
    // Another replica created the row between this statement's read and its upsert (the read saw
    // no row): every hit of the batch gets the final count, which errs on refusing.
    return recordFrom(row.hits, blockedAtEnd, row, at);
  }
  const priorBlocked = !row.inserted && row.priorBlockedUntil !== null && row.priorBlockedUntil.getTime() > at;
  if (priorBlocked) return recordFrom(row.hits, blockedAtEnd, row, at);
  const fresh = row.inserted || row.priorWindowEndsAt!.getTime() <= at || (row.priorBlockedUntil !== null && row.priorBlockedUntil.getTime() <= at);
  const base = fresh ? 0 : row.priorHits!;
  const hits = base + Math.min(nth, row.hits - base);
  return recordFrom(hits, blockedAtEnd && hits > limit, row, at);
}

function recordFrom(hits: number, blocked: boolean, row: BatchRow, at: number): RateLimitRecord {
  return {
    totalHits: hits,
    timeToExpire: Math.max(0, Math.ceil((row.windowEndsAt.getTime() - at) / 1000)),
    isBlocked: blocked,
    timeToBlockExpire: blocked ? Math.ceil((row.blockedUntil!.getTime() - at) / 1000) : 0,
  };
}
