import { writeOutbox } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import type { OutboxEventRow } from './types';

/** The raw-SQL surface of a Prisma client or interactive transaction. */
export type Sql = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

export async function insertOutbox(tx: Sql, event: OutboxEventRow): Promise<void> {
  await writeOutbox(tx, 'hcx', [event]);
}

export async function insertSecretDelivery(tx: Sql, participantCode: string, secretVersion: number, reason: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "hcx"."secret_delivery" (id, participant_code, secret_version, reason) VALUES (gen_random_uuid(), $1, $2, $3)`,
    participantCode,
    secretVersion,
    reason,
  );
}
