import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_RELAY, PRISMA_CLIENT, outboxInsertSql, outboxRowsParam, preparedStatement } from '@npi/database';
import type { Prisma, PrismaClient } from '@npi/database';
import { authOutboxRows, nudgeIf, writeAuthEvents } from './auth-outbox';
import type { OutboxNudge } from './auth-outbox';
import type { IssuedTokenRepository } from './ports';
import type { AccessTokenRecord, ClientRecord, NewAccessToken, NewRefreshToken, PendingEvent, RefreshGrantConditions, RefreshTokenRecord, Revoked } from './types';

/**
 * The refresh-token row `$1` may serve a grant at `$2` for a client at revision `$3`: neither
 * retired, revoked nor expired, no revoked member in its family (a successor created while the
 * family died), user and client active, client unchanged since it was authenticated.
 */
const LIVE_GRANT = `rt.id = $1::uuid AND rt.retired_at IS NULL AND rt.revoked_at IS NULL AND rt.expires_at > $2::timestamptz
           AND c.status = 'ACTIVE' AND c.revision = $3::int AND u.status = 'ACTIVE'
           AND NOT EXISTS (SELECT 1 FROM "auth"."refresh_token" f WHERE f.family_id = rt.family_id AND f.revoked_at IS NOT NULL)`;

/**
 * CTEs `refresh` (a new refresh-token row, once per row of `source`, or once without one) and
 * `access` (its access token), reading the 13 parameters of `newPairParams` from `$first` on.
 */
function newPairSql(first: number, source?: string): string {
  const p = (offset: number) => `$${first + offset}`;
  return `refresh AS (
         INSERT INTO "auth"."refresh_token" (id, token_hash, family_id, client_id, user_id, username, scope, rotation_salt, issued_at, expires_at)
         SELECT ${p(0)}::uuid, ${p(1)}, ${p(2)}::uuid, ${p(3)}, ${p(4)}::uuid, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}::timestamptz, ${p(9)}::timestamptz${source ? ` FROM ${source}` : ''}
         RETURNING id
       ), access AS (
         INSERT INTO "auth"."access_token" (jti, refresh_token_id, family_id, client_id, username, issued_at, expires_at)
         SELECT ${p(10)}, refresh.id, ${p(2)}::uuid, ${p(3)}, ${p(5)}, ${p(11)}::timestamptz, ${p(12)}::timestamptz FROM refresh
         RETURNING jti
       )`;
}

function newPairParams(token: NewRefreshToken, access: NewAccessToken): unknown[] {
  return [token.id, token.tokenHash, token.familyId, token.clientId, token.userId, token.username, token.scope, token.rotationSalt, token.issuedAt, token.expiresAt, access.jti, access.issuedAt, access.expiresAt];
}

// The hot paths' statements, each a fixed text prepared once per connection where the deployment
// allows (DATABASE_PREPARED_STATEMENTS): PostgreSQL spent as long planning these CTEs as running them.

/** Password grant: the refresh row, its access token, the outbox rows. */
const INSERT_PAIR_SQL = preparedStatement(`WITH ${newPairSql(1)}, events AS (
         ${outboxInsertSql('auth', 14)} WHERE EXISTS (SELECT 1 FROM access)
       )
       SELECT count(*)::int AS inserted FROM access`);

/** Introspection: the client row drives the read (no row: no such client); the token joins to it, if any. */
const INTROSPECTION_SQL = preparedStatement(`SELECT c.revision AS "clientRevision", c.status::text AS "clientStatus",
              a.jti, a.refresh_token_id::text AS "refreshTokenId", a.family_id::text AS "familyId", a.client_id AS "clientId", a.username,
              a.issued_at AS "issuedAt", a.expires_at AS "expiresAt", a.revoked_at AS "revokedAt",
              CASE WHEN r.id IS NULL THEN a.issued_at ELSE r.revoked_at END AS "refreshRevokedAt"
         FROM "auth"."client" c
         LEFT JOIN "auth"."access_token" a ON a.jti = $1
         LEFT JOIN "auth"."refresh_token" r ON r.id = a.refresh_token_id
        WHERE c.client_id = $2`);

/** Reusable refresh grant: the validity check, the access-token row, the outbox rows. */
const ISSUE_FROM_REFRESH_SQL = preparedStatement(`WITH live AS (
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
       SELECT count(*)::int AS issued FROM access`);

/** Rotating refresh grant: compare-and-set retirement, the successor, its access token, the outbox rows. */
const ROTATE_SQL = preparedStatement(`WITH claimed AS (
         UPDATE "auth"."refresh_token" rt SET retired_at = $2::timestamptz
           FROM "auth"."client" c, "auth"."user" u
         WHERE c.client_id = rt.client_id AND u.id = rt.user_id AND ${LIVE_GRANT}
         RETURNING rt.id
       ), ${newPairSql(4, 'claimed')}, events AS (
         ${outboxInsertSql('auth', 17)} WHERE EXISTS (SELECT 1 FROM access)
       )
       SELECT count(*)::int AS rotated FROM access`);

/** `auth.refresh_token` and `auth.access_token`. The hot paths are single statements (one round trip, one commit). */
@Injectable()
export class PrismaIssuedTokenRepository implements IssuedTokenRepository {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient,
    @Inject(OUTBOX_RELAY) private readonly outbox: OutboxNudge,
  ) {}

  /** One statement (no interactive transaction to wait for): the refresh row, its access token, the outbox rows. */
  async insertRefreshToken(token: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<void> {
    await this.prisma.$queryRawUnsafe(
      INSERT_PAIR_SQL,
      ...newPairParams(token, access),
      outboxRowsParam(authOutboxRows(events)),
    );
    nudgeIf(this.outbox, events);
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

  async findAccessTokenForIntrospection(jti: string, introspectorClientId: string): Promise<{ token: (AccessTokenRecord & { refreshRevokedAt: Date | null }) | undefined; introspector: Pick<ClientRecord, 'revision' | 'status'> | undefined }> {
    const rows = await this.prisma.$queryRawUnsafe<(Omit<AccessTokenRecord, 'jti'> & { jti: string | null; refreshRevokedAt: Date | null; clientRevision: number; clientStatus: ClientRecord['status'] })[]>(
      INTROSPECTION_SQL,
      jti,
      introspectorClientId,
    );
    const row = rows[0];
    if (!row) return { token: undefined, introspector: undefined };
    const { clientRevision, clientStatus, jti: found, ...token } = row;
    return { token: found === null ? undefined : { ...token, jti: found }, introspector: { revision: clientRevision, status: clientStatus } };
  }

  /**
   * One statement (one round trip, one commit): the validity check, the access-token row and the
   * outbox rows. `FOR SHARE` makes a concurrent revocation of the same row wait for this commit, so
   * the revocation sees (and names) the access token issued here, or this write sees the revocation.
   */
  async issueFromRefreshToken(conditions: RefreshGrantConditions, access: NewAccessToken, events: PendingEvent[]): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ issued: number }[]>(
      ISSUE_FROM_REFRESH_SQL,
      conditions.refreshTokenId,
      conditions.now,
      conditions.clientRevision,
      access.jti,
      access.familyId,
      access.clientId,
      access.username,
      access.issuedAt,
      access.expiresAt,
      outboxRowsParam(authOutboxRows(events)),
    );
    const issued = rows[0]?.issued === 1;
    if (issued) nudgeIf(this.outbox, events);
    return issued;
  }

  /** One statement: compare-and-set retirement, the successor, its access token and the outbox rows. */
  async rotateRefreshToken(conditions: RefreshGrantConditions, next: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ rotated: number }[]>(
      ROTATE_SQL,
      conditions.refreshTokenId,
      conditions.now,
      conditions.clientRevision,
      ...newPairParams(next, access),
      outboxRowsParam(authOutboxRows(events)),
    );
    const rotated = rows[0]?.rotated === 1;
    if (rotated) nudgeIf(this.outbox, events);
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
      if (result.count > 0) await writeAuthEvents(tx, events);
      return result.count > 0;
    });
    if (changed) nudgeIf(this.outbox, events);
    return changed;
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
      await writeAuthEvents(tx, events({ refreshTokens, accessTokens }));
      return { refreshTokens, accessTokens };
    });
    if (revoked.refreshTokens.length > 0) this.outbox.nudge();
    return revoked;
  }
}
