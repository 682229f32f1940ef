import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_RELAY, PRISMA_CLIENT, outboxInsertSql, outboxRow, outboxRowsParam, writeOutbox } from '@npi/database';
import type { OutboxRelay, Prisma, PrismaClient } from '@npi/database';
import type {
  AccessTokenRecord,
  AuthRepository,
  ClientChanges,
  ClientRecord,
  NewAccessToken,
  NewClient,
  NewRefreshToken,
  NewUser,
  PendingEvent,
  RefreshGrantConditions,
  RefreshTokenRecord,
  Revoked,
  UserChanges,
  UserRecord,
} from './types';

const PRODUCER = 'auth-service';

/**
 * The refresh-token row `$1` may serve a grant at `$2` for a client at revision `$3`: neither
 * retired, revoked nor expired, no revoked member in its family (a successor created while the
 * family died), user and client active, client unchanged since it was authenticated.
 */
const LIVE_GRANT = `rt.id = $1::uuid AND rt.retired_at IS NULL AND rt.revoked_at IS NULL AND rt.expires_at > $2::timestamptz
           AND c.status = 'ACTIVE' AND c.revision = $3::int AND u.status = 'ACTIVE'
           AND NOT EXISTS (SELECT 1 FROM "auth"."refresh_token" f WHERE f.family_id = rt.family_id AND f.revoked_at IS NOT NULL)`;
type Tx = Prisma.TransactionClient;

/** The only place auth-service's tables are touched. Outbox rows are written in the same transaction. */
@Injectable()
export class PrismaAuthRepository implements AuthRepository {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient,
    @Inject(OUTBOX_RELAY) private readonly outbox: Pick<OutboxRelay, 'nudge'>,
  ) {}

  async findClient(clientId: string): Promise<ClientRecord | undefined> {
    return ((await this.prisma.authClient.findUnique({ where: { clientId } })) ?? undefined) as ClientRecord | undefined;
  }

  async listClients(): Promise<ClientRecord[]> {
    return (await this.prisma.authClient.findMany({ orderBy: { clientId: 'asc' } })) as ClientRecord[];
  }

  async createClient(client: NewClient, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authClient.create({ data: client })) as ClientRecord;
      await this.writeEvents(tx, events(row));
      return row;
    });
    this.outbox.nudge();
    return stored;
  }

  async updateClient(clientId: string, changes: ClientChanges, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord | undefined> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.authClient.findUnique({ where: { clientId } });
      if (!existing) return undefined;
      const row = (await tx.authClient.update({
        where: { clientId },
        data: { ...changes, revision: { increment: 1 }, updatedAt: new Date() },
      })) as ClientRecord;
      await this.writeEvents(tx, events(row));
      return row;
    });
    if (stored) this.outbox.nudge();
    return stored;
  }

  async replaceClientSecretHash(clientId: string, from: string, to: string): Promise<boolean> {
    const result = await this.prisma.authClient.updateMany({ where: { clientId, secretHash: from }, data: { secretHash: to } });
    return result.count === 1;
  }

  async findUser(clientRowId: string, username: string): Promise<UserRecord | undefined> {
    return ((await this.prisma.authUser.findUnique({ where: { clientRowId_username: { clientRowId, username } } })) ?? undefined) as UserRecord | undefined;
  }

  async listUsers(clientRowId: string): Promise<UserRecord[]> {
    return (await this.prisma.authUser.findMany({ where: { clientRowId }, orderBy: { username: 'asc' } })) as UserRecord[];
  }

  async createUser(user: NewUser, events: PendingEvent[]): Promise<UserRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authUser.create({ data: user })) as UserRecord;
      await this.writeEvents(tx, events);
      return row;
    });
    this.nudgeIf(events);
    return stored;
  }

  async updateUser(userId: string, changes: UserChanges, events: PendingEvent[]): Promise<UserRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authUser.update({ where: { id: userId }, data: { ...changes, updatedAt: new Date() } })) as UserRecord;
      await this.writeEvents(tx, events);
      return row;
    });
    this.nudgeIf(events);
    return stored;
  }

  async incrementFailedAttempts(userId: string): Promise<number> {
    const row = await this.prisma.authUser.update({ where: { id: userId }, data: { failedAttempts: { increment: 1 } }, select: { failedAttempts: true } });
    return row.failedAttempts;
  }

  /** One statement (no interactive transaction to wait for): the refresh row, its access token, the outbox rows. */
  async insertRefreshToken(token: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<void> {
    await this.prisma.$queryRawUnsafe(
      `WITH refresh AS (
         INSERT INTO "auth"."refresh_token" (id, token_hash, family_id, client_id, user_id, username, scope, rotation_salt, issued_at, expires_at)
         VALUES ($1::uuid, $2, $3::uuid, $4, $5::uuid, $6, $7, $8, $9::timestamptz, $10::timestamptz)
         RETURNING id
       ), access AS (
         INSERT INTO "auth"."access_token" (jti, refresh_token_id, family_id, client_id, username, issued_at, expires_at)
         SELECT $11, refresh.id, $3::uuid, $4, $6, $12::timestamptz, $13::timestamptz FROM refresh
         RETURNING jti
       ), events AS (
         ${outboxInsertSql('auth', 14)} WHERE EXISTS (SELECT 1 FROM access)
       )
       SELECT count(*)::int AS inserted FROM access`,
      token.id,
      token.tokenHash,
      token.familyId,
      token.clientId,
      token.userId,
      token.username,
      token.scope,
      token.rotationSalt,
      token.issuedAt,
      token.expiresAt,
      access.jti,
      access.issuedAt,
      access.expiresAt,
      outboxRowsParam(this.outboxRows(events)),
    );
    this.nudgeIf(events);
  }

  async findRefreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    return (await this.prisma.authRefreshToken.findUnique({ where: { tokenHash } })) ?? undefined;
  }

  async findAccessToken(jti: string): Promise<(AccessTokenRecord & { refreshRevokedAt: Date | null }) | undefined> {
    // One round trip: the access token and its refresh token's revocation (a missing refresh row
    // counts as revoked at issue).
    const rows = await this.prisma.$queryRawUnsafe<(AccessTokenRecord & { refreshRevokedAt: Date | null })[]>(
      `SELECT a.jti, a.refresh_token_id::text AS "refreshTokenId", a.family_id::text AS "familyId", a.client_id AS "clientId", a.username,
              a.issued_at AS "issuedAt", a.expires_at AS "expiresAt", a.revoked_at AS "revokedAt",
              CASE WHEN r.id IS NULL THEN a.issued_at ELSE r.revoked_at END AS "refreshRevokedAt"
         FROM "auth"."access_token" a LEFT JOIN "auth"."refresh_token" r ON r.id = a.refresh_token_id
        WHERE a.jti = $1`,
      jti,
    );
    return rows[0];
  }

  /**
   * One statement (one round trip, one commit): the validity check, the access-token row and the
   * outbox rows. `FOR SHARE` makes a concurrent revocation of the same row wait for this commit, so
   * the revocation sees (and names) the access token issued here, or this write sees the revocation.
   */
  async issueFromRefreshToken(conditions: RefreshGrantConditions, access: NewAccessToken, events: PendingEvent[]): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ issued: number }[]>(
      `WITH live AS (
         SELECT rt.id FROM "auth"."refresh_token" rt
           JOIN "auth"."client" c ON c.client_id = rt.client_id
           JOIN "auth"."user" u ON u.id = rt.user_id
         WHERE ${LIVE_GRANT}
         FOR SHARE OF rt
       ), access AS (
         INSERT INTO "auth"."access_token" (jti, refresh_token_id, family_id, client_id, username, issued_at, expires_at)
         SELECT $4, live.id, $5::uuid, $6, $7, $8::timestamptz, $9::timestamptz FROM live
         RETURNING jti
       ), events AS (
         ${outboxInsertSql('auth', 10)} WHERE EXISTS (SELECT 1 FROM access)
       )
       SELECT count(*)::int AS issued FROM access`,
      conditions.refreshTokenId,
      conditions.now,
      conditions.clientRevision,
      access.jti,
      access.familyId,
      access.clientId,
      access.username,
      access.issuedAt,
      access.expiresAt,
      outboxRowsParam(this.outboxRows(events)),
    );
    const issued = rows[0]?.issued === 1;
    if (issued) this.nudgeIf(events);
    return issued;
  }

  /** One statement: compare-and-set retirement, the successor, its access token and the outbox rows. */
  async rotateRefreshToken(conditions: RefreshGrantConditions, next: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ rotated: number }[]>(
      `WITH claimed AS (
         UPDATE "auth"."refresh_token" rt SET retired_at = $2::timestamptz
           FROM "auth"."client" c, "auth"."user" u
         WHERE c.client_id = rt.client_id AND u.id = rt.user_id AND ${LIVE_GRANT}
         RETURNING rt.id
       ), successor AS (
         INSERT INTO "auth"."refresh_token" (id, token_hash, family_id, client_id, user_id, username, scope, rotation_salt, issued_at, expires_at)
         SELECT $4::uuid, $5, $6::uuid, $7, $8::uuid, $9, $10, $11, $12::timestamptz, $13::timestamptz FROM claimed
         RETURNING id
       ), access AS (
         INSERT INTO "auth"."access_token" (jti, refresh_token_id, family_id, client_id, username, issued_at, expires_at)
         SELECT $14, successor.id, $6::uuid, $7, $9, $12::timestamptz, $15::timestamptz FROM successor
         RETURNING jti
       ), events AS (
         ${outboxInsertSql('auth', 16)} WHERE EXISTS (SELECT 1 FROM access)
       )
       SELECT count(*)::int AS rotated FROM access`,
      conditions.refreshTokenId,
      conditions.now,
      conditions.clientRevision,
      next.id,
      next.tokenHash,
      next.familyId,
      next.clientId,
      next.userId,
      next.username,
      next.scope,
      next.rotationSalt,
      next.issuedAt,
      next.expiresAt,
      access.jti,
      access.expiresAt,
      outboxRowsParam(this.outboxRows(events)),
    );
    const rotated = rows[0]?.rotated === 1;
    if (rotated) this.nudgeIf(events);
    return rotated;
  }

  async revokeFamily(familyId: string, at: Date, events: (revoked: Revoked) => PendingEvent[]): Promise<Revoked> {
    return this.revokeWhere({ familyId, revokedAt: null }, (families) => ({ familyId: { in: families } }), at, events);
  }

  async revokeUserTokens(clientId: string, username: string, at: Date, events: (revoked: Revoked) => PendingEvent[]): Promise<Revoked> {
    return this.revokeWhere({ clientId, username, revokedAt: null }, () => ({ clientId, username }), at, events);
  }

  async markAccessTokenRevoked(jti: string, at: Date, events: PendingEvent[]): Promise<boolean> {
    const changed = await this.prisma.$transaction(async (tx) => {
      const result = await tx.authAccessToken.updateMany({ where: { jti, revokedAt: null }, data: { revokedAt: at } });
      if (result.count > 0) await this.writeEvents(tx, events);
      return result.count > 0;
    });
    if (changed) this.nudgeIf(events);
    return changed;
  }

  async appendEvents(events: PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.writeEvents(this.prisma, events);
    this.outbox.nudge();
  }

  private async revokeWhere(
    where: Prisma.AuthRefreshTokenWhereInput,
    accessWhere: (families: string[]) => Prisma.AuthAccessTokenWhereInput,
    at: Date,
    events: (revoked: Revoked) => PendingEvent[],
  ): Promise<Revoked> {
    const revoked = await this.prisma.$transaction(async (tx) => {
      // UPDATE ... RETURNING: each row is claimed by exactly one revocation; a grant holding the row
      // (FOR SHARE / its own UPDATE) commits first, so the access tokens read next include its token.
      const refreshTokens = (await tx.authRefreshToken.updateManyAndReturn({ where, data: { revokedAt: at } })) as RefreshTokenRecord[];
      if (refreshTokens.length === 0) return { refreshTokens, accessTokens: [] };
      const families = [...new Set(refreshTokens.map((row) => row.familyId))];
      const accessTokens = (await tx.authAccessToken.updateManyAndReturn({ where: { ...accessWhere(families), revokedAt: null }, data: { revokedAt: at } })) as AccessTokenRecord[];
      await this.writeEvents(tx, events({ refreshTokens, accessTokens }));
      return { refreshTokens, accessTokens };
    });
    if (revoked.refreshTokens.length > 0) this.outbox.nudge();
    return revoked;
  }

  private outboxRows(events: PendingEvent[]) {
    return events.map((event) => outboxRow(event.contract, event.data, { producer: PRODUCER, key: event.key, correlationId: event.correlationId }));
  }

  private async writeEvents(tx: Tx | PrismaClient, events: PendingEvent[]): Promise<void> {
    await writeOutbox(tx, 'auth', this.outboxRows(events));
  }

  private nudgeIf(events: PendingEvent[]): void {
    if (events.length > 0) this.outbox.nudge();
  }
}
