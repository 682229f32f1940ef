import type { PrismaClient } from '@npi/database';
import type { SigningKeyRecord, SigningKeyRepository } from './types';
import type { Sql } from './sql';

const COLUMNS = `kid, public_jwk AS "publicJwk", private_key_ciphertext AS "privateKeyCiphertext", kek_id AS "kekId", active, created_at AS "createdAt"`;
// Serialises first-start key generation across replicas (any constant works; this one names the table).
const LOCK = `SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext('hcx.signing_key'))) AS l`;

export class PrismaSigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  list(): Promise<SigningKeyRecord[]> {
    return this.prisma.$queryRawUnsafe<SigningKeyRecord[]>(`SELECT ${COLUMNS} FROM "hcx"."signing_key" ORDER BY created_at DESC`);
  }

  async activeOrInsert(candidate: () => Omit<SigningKeyRecord, 'createdAt' | 'active'>): Promise<SigningKeyRecord> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(LOCK);
      const active = await tx.$queryRawUnsafe<SigningKeyRecord[]>(`SELECT ${COLUMNS} FROM "hcx"."signing_key" WHERE active ORDER BY created_at DESC LIMIT 1`);
      if (active[0]) return active[0];
      return insertActive(tx, candidate());
    });
  }

  async rotate(next: Omit<SigningKeyRecord, 'createdAt' | 'active'>): Promise<SigningKeyRecord> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(LOCK);
      await tx.$executeRawUnsafe(`UPDATE "hcx"."signing_key" SET active = false WHERE active`);
      return insertActive(tx, next);
    });
  }
}

/** Inserts the new active key (the caller holds LOCK and has no other active key left). */
async function insertActive(tx: Sql, key: Omit<SigningKeyRecord, 'createdAt' | 'active'>): Promise<SigningKeyRecord> {
  const rows = await tx.$queryRawUnsafe<SigningKeyRecord[]>(
    `INSERT INTO "hcx"."signing_key" (kid, public_jwk, private_key_ciphertext, kek_id, active) VALUES ($1, $2::jsonb, $3, $4, true) RETURNING ${COLUMNS}`,
    key.kid,
    JSON.stringify(key.publicJwk),
    key.privateKeyCiphertext,
    key.kekId,
  );
  return rows[0];
}
