import type { PrismaClient } from '@npi/database';
import type { OutboxEventRow } from './types';

/** The raw-SQL surface of a Prisma client or interactive transaction. */
export type Sql = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

export async function insertOutbox(tx: Sql, event: OutboxEventRow): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "hcx"."outbox_event" (id, topic, key, payload, headers) VALUES ($1::uuid, $2, $3, $4::jsonb, $5::jsonb)`,
    event.id,
    event.topic,
    event.key,
    JSON.stringify(event.payload),
    JSON.stringify(event.headers),
  );
}

export async function insertSecretDelivery(tx: Sql, participantCode: string, secretVersion: number, reason: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "hcx"."secret_delivery" (id, participant_code, secret_version, reason) VALUES (gen_random_uuid(), $1, $2, $3)`,
    participantCode,
    secretVersion,
    reason,
  );
}
