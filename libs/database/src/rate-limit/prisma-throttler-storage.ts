import type { PrismaClient } from '../prisma-client';
import { SERVICE_SCHEMAS } from '../outbox/service-schema';
import type { ServiceSchema } from '../outbox/service-schema';

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
}

interface BucketRow {
  hits: number;
  windowEndsAt: Date;
  blockedUntil: Date | null;
}

/**
 * A `@nestjs/throttler` storage in PostgreSQL (`<schema>.rate_limit_bucket`), so a limit holds
 * across every replica of a service. Each hit is one atomic `INSERT ... ON CONFLICT DO UPDATE`:
 * concurrent hits on one key serialise on its row, none is lost and no read-modify-write race
 * exists. Fixed window per key; past the limit the key is blocked for `blockDuration` (hits
 * while blocked do not extend the block); a block that has run out starts a fresh window.
 * Structurally a `ThrottlerStorage` (this data-access lib does not import Nest).
 */
export class PrismaThrottlerStorage {
  private readonly table: string;
  private lastSweep = 0;

  constructor(private readonly options: PrismaThrottlerStorageOptions) {
    if (!SERVICE_SCHEMAS.includes(options.schema)) throw new Error(`unknown schema ${options.schema}`);
    this.table = `"${options.schema}"."rate_limit_bucket"`;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<RateLimitRecord> {
    const now = this.options.now();
    const bucketKey = `${throttlerName}:${key}`;
    const blockMs = blockDuration > 0 ? blockDuration : ttl;
    const [row] = await this.options.prisma.$queryRawUnsafe<BucketRow[]>(
      `INSERT INTO ${this.table} AS b (key, hits, window_ends_at, blocked_until)
       VALUES ($1, 1, $2::timestamptz + $3::int * interval '1 millisecond',
               CASE WHEN 1 > $4::int THEN $2::timestamptz + $5::int * interval '1 millisecond' END)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE
           WHEN b.blocked_until > $2::timestamptz THEN b.hits
           WHEN b.window_ends_at <= $2::timestamptz OR b.blocked_until <= $2::timestamptz THEN 1
           ELSE b.hits + 1 END,
         window_ends_at = CASE
           WHEN b.blocked_until > $2::timestamptz THEN b.window_ends_at
           WHEN b.window_ends_at <= $2::timestamptz OR b.blocked_until <= $2::timestamptz THEN excluded.window_ends_at
           ELSE b.window_ends_at END,
         blocked_until = CASE
           WHEN b.blocked_until > $2::timestamptz THEN b.blocked_until
           WHEN b.window_ends_at <= $2::timestamptz OR b.blocked_until <= $2::timestamptz THEN excluded.blocked_until
           WHEN b.hits + 1 > $4::int THEN $2::timestamptz + $5::int * interval '1 millisecond'
           END
       RETURNING hits, window_ends_at AS "windowEndsAt", blocked_until AS "blockedUntil"`,
      bucketKey,
      now.toISOString(),
      Math.ceil(ttl),
      Math.floor(limit),
      Math.ceil(blockMs),
    );
    this.maybeSweep(now);
    const blockedForMs = row.blockedUntil === null ? 0 : row.blockedUntil.getTime() - now.getTime();
    const blocked = blockedForMs > 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, Math.ceil((row.windowEndsAt.getTime() - now.getTime()) / 1000)),
      isBlocked: blocked,
      timeToBlockExpire: blocked ? Math.ceil(blockedForMs / 1000) : 0,
    };
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
