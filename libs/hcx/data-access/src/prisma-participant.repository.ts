import type { PrismaClient } from '@npi/database';
import { participantConditions } from './participant-filters';
import { insertOutbox, insertSecretDelivery } from './sql';
import type { Sql } from './sql';
import type { NewParticipant, OutboxEventRow, ParticipantChanges, ParticipantQuery, ParticipantRecord, ParticipantRepository, ParticipantSearch } from './types';

const COLUMNS = `participant_code AS "participantCode", name, roles, status::text AS status, primary_email AS "primaryEmail",
  primary_mobile AS "primaryMobile", endpoint_url AS "endpointUrl", encryption_cert AS "encryptionCert", signing_cert AS "signingCert",
  secret_ciphertext AS "secretCiphertext", secret_kek_id AS "secretKekId", secret_version AS "secretVersion", profile,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export class PrismaParticipantRepository implements ParticipantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(participant: NewParticipant, event: (record: ParticipantRecord) => OutboxEventRow): Promise<ParticipantRecord | 'exists'> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<ParticipantRecord[]>(
        `INSERT INTO "hcx"."participant" (participant_code, name, roles, status, primary_email, primary_mobile, endpoint_url,
           encryption_cert, signing_cert, secret_ciphertext, secret_kek_id, profile)
         VALUES ($1, $2, $3::text[], $4::"hcx"."HcxParticipantStatus", $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
         ON CONFLICT (participant_code) DO NOTHING RETURNING ${COLUMNS}`,
        participant.participantCode,
        participant.name,
        participant.roles,
        participant.status,
        participant.primaryEmail,
        participant.primaryMobile,
        participant.endpointUrl,
        participant.encryptionCert,
        participant.signingCert,
        participant.secretCiphertext,
        participant.secretKekId,
        JSON.stringify(participant.profile ?? {}),
      );
      if (rows.length === 0) return 'exists' as const;
      await insertOutbox(tx as Sql, event(rows[0]));
      await insertSecretDelivery(tx as Sql, rows[0].participantCode, rows[0].secretVersion, 'created');
      return rows[0];
    });
  }

  async find(participantCode: string): Promise<ParticipantRecord | null> {
    // PostgreSQL text cannot hold NUL: no row can match, and the driver would fail instead of answering.
    if (participantCode.includes('\u0000')) return null;
    const rows = await this.prisma.$queryRawUnsafe<ParticipantRecord[]>(`SELECT ${COLUMNS} FROM "hcx"."participant" WHERE participant_code = $1`, participantCode);
    return rows[0] ?? null;
  }

  async search(filter: ParticipantSearch): Promise<ParticipantRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (filter.participantCode) add((n) => `participant_code = $${n}`, filter.participantCode);
    if (filter.role) add((n) => `$${n} = ANY(roles)`, filter.role);
    if (filter.status) add((n) => `status = $${n}::"hcx"."HcxParticipantStatus"`, filter.status);
    if (filter.name) add((n) => `name ILIKE $${n}`, `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    params.push(filter.limit);
    return this.prisma.$queryRawUnsafe<ParticipantRecord[]>(
      `SELECT ${COLUMNS} FROM "hcx"."participant" ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY participant_code LIMIT $${params.length}`,
      ...params,
    );
  }

  async update(participantCode: string, changes: ParticipantChanges, event: (record: ParticipantRecord) => OutboxEventRow): Promise<ParticipantRecord | null> {
    const sets: string[] = [];
    const params: unknown[] = [participantCode];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.roles !== undefined) set('roles', changes.roles, '::text[]');
    if (changes.primaryEmail !== undefined) set('primary_email', changes.primaryEmail);
    if (changes.primaryMobile !== undefined) set('primary_mobile', changes.primaryMobile);
    if (changes.endpointUrl !== undefined) set('endpoint_url', changes.endpointUrl);
    if (changes.encryptionCert !== undefined) set('encryption_cert', changes.encryptionCert);
    if (changes.signingCert !== undefined) set('signing_cert', changes.signingCert);
    if (changes.status !== undefined) set('status', changes.status, '::"hcx"."HcxParticipantStatus"');
    if (changes.profile !== undefined) set('profile', JSON.stringify(changes.profile), '::jsonb');
    if (changes.secret) {
      set('secret_ciphertext', changes.secret.ciphertext);
      set('secret_kek_id', changes.secret.kekId);
      sets.push('secret_version = secret_version + 1');
    }
    sets.push('updated_at = now()');
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<ParticipantRecord[]>(
        `UPDATE "hcx"."participant" SET ${sets.join(', ')} WHERE participant_code = $1 RETURNING ${COLUMNS}`,
        ...params,
      );
      if (rows.length === 0) return null;
      await insertOutbox(tx as Sql, event(rows[0]));
      if (changes.secret) await insertSecretDelivery(tx as Sql, rows[0].participantCode, rows[0].secretVersion, 'rotated');
      return rows[0];
    });
  }

  async query(query: ParticipantQuery): Promise<ParticipantRecord[]> {
    const params: unknown[] = [];
    const where = participantConditions(query.filters, params);
    params.push(query.limit, query.offset);
    return this.prisma.$queryRawUnsafe<ParticipantRecord[]>(
      `SELECT ${COLUMNS} FROM "hcx"."participant" ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY participant_code LIMIT $${params.length - 1} OFFSET $${params.length}`,
      ...params,
    );
  }
}
