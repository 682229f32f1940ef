import type { PrismaClient } from '@npi/database';
import type { SecretDeliveryRecord, SecretDeliveryRepository } from './types';

const COLUMNS = `id::text AS id, participant_code AS "participantCode", secret_version AS "secretVersion", reason, attempts`;

export class PrismaSecretDeliveryRepository implements SecretDeliveryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async requestResend(participantCode: string): Promise<SecretDeliveryRecord | null> {
    if (participantCode.includes('\u0000')) return null;
    const rows = await this.prisma.$queryRawUnsafe<SecretDeliveryRecord[]>(
      `INSERT INTO "hcx"."secret_delivery" (id, participant_code, secret_version, reason)
       SELECT gen_random_uuid(), participant_code, secret_version, 'resend' FROM "hcx"."participant" WHERE participant_code = $1
       RETURNING ${COLUMNS}`,
      participantCode,
    );
    return rows[0] ?? null;
  }

  claimDue(now: Date, limit: number, leaseMs: number): Promise<SecretDeliveryRecord[]> {
    // The lease (next_attempt_at pushed forward) keeps other replicas off the row while this one
    // tries; if this replica dies mid-try the row becomes due again when the lease ends.
    return this.prisma.$queryRawUnsafe<SecretDeliveryRecord[]>(
      `UPDATE "hcx"."secret_delivery" SET attempts = attempts + 1, next_attempt_at = $2
       WHERE id IN (SELECT id FROM "hcx"."secret_delivery" WHERE status = 'pending' AND next_attempt_at <= $1
                    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      now,
      new Date(now.getTime() + leaseMs),
      limit,
    );
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    await this.prisma.$executeRawUnsafe(`UPDATE "hcx"."secret_delivery" SET status = 'delivered', delivered_at = $2, last_error = NULL WHERE id = $1::uuid`, id, at);
  }

  async markSuperseded(id: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(`UPDATE "hcx"."secret_delivery" SET status = 'superseded' WHERE id = $1::uuid`, id);
  }

  async retryLater(id: string, at: Date, error: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(`UPDATE "hcx"."secret_delivery" SET next_attempt_at = $2, last_error = $3 WHERE id = $1::uuid AND status = 'pending'`, id, at, error.slice(0, 512));
  }

  async pendingFor(participantCode: string): Promise<number> {
    const rows = await this.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "hcx"."secret_delivery" WHERE participant_code = $1 AND status = 'pending'`, participantCode);
    return rows[0]?.n ?? 0;
  }
}
