import { Inject, Injectable } from '@nestjs/common';
import { GroupCommit, OUTBOX_RELAY, PRISMA_CLIENT, outboxInsertSql, outboxRowsParam, preparedStatement } from '@npi/database';
import type { Prisma, PrismaClient } from '@npi/database';
import { authOutboxRows, nudgeIf, writeAuthEvents } from './auth-outbox';
import type { OutboxNudge } from './auth-outbox';
import type { IssuedTokenRepository } from './ports';
import type { AccessTokenRecord, ClientRecord, NewAccessToken, NewRefreshToken, PendingEvent, RefreshGrantConditions, RefreshTokenRecord, Revoked } from './types';

/**
 * The refresh-token row `rt` may serve request `req`'s grant at `req.at` for a client at revision
 * `req.revision`: neither retired, revoked nor expired, no revoked member in its family (a successor
 * created while the family died), user `u` and client `c` active, the client unchanged since it was
 * authenticated.
 */
const LIVE_FOR_REQUEST = `rt.retired_at IS NULL AND rt.revoked_at IS NULL AND rt.expires_at > req.at
           AND c.status = 'ACTIVE' AND c.revision = req.revision AND u.status = 'ACTIVE'
           AND NOT EXISTS (SELECT 1 FROM "auth"."refresh_token" f WHERE f.family_id = rt.family_id AND f.revoked_at IS NOT NULL)`;

/**
 * CTEs `refresh` (a new refresh-token row) and `access` (its access token), reading the 13
 * parameters of `newPairParams` from `$first` on.
 */
function newPairSql(first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `refresh AS (
         INSERT INTO "auth"."refresh_token" (id, token_hash, family_id, client_id, user_id, username, scope, rotation_salt, issued_at, expires_at)
         SELECT ${p(0)}::uuid, ${p(1)}, ${p(2)}::uuid, ${p(3)}, ${p(4)}::uuid, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}::timestamptz, ${p(9)}::timestamptz
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

/**
 * Reusable refresh grants, a group of them in one statement (one commit, one outbox NOTIFY): for
 * each request `i` the validity check of its refresh-token row, its access-token row and its outbox
 * rows; answers the `i` of the requests whose check held.
 */
const ISSUE_FROM_REFRESH_SQL = preparedStatement(`WITH req AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(i int, refresh_id uuid, at timestamptz, revision int, jti text, family_id uuid,
           client_id text, username text, issued_at timestamptz, expires_at timestamptz, events jsonb)
       ), live AS (
         SELECT req.i, rt.id FROM req
           JOIN "auth"."refresh_token" rt ON rt.id = req.refresh_id
           JOIN "auth"."client" c ON c.client_id = rt.client_id
           JOIN "auth"."user" u ON u.id = rt.user_id
         WHERE ${LIVE_FOR_REQUEST}
         FOR SHARE OF rt
       ), access AS (
         INSERT INTO "auth"."access_token" (jti, refresh_token_id, family_id, client_id, username, issued_at, expires_at)
         SELECT req.jti, live.id, req.family_id, req.client_id, req.username, req.issued_at, req.expires_at FROM live JOIN req ON req.i = live.i
         RETURNING jti
       ), events AS (
         ${outboxInsertSql('auth', { sql: '(SELECT jsonb_agg(ev) FROM live JOIN req ON req.i = live.i, jsonb_array_elements(req.events) AS ev)' })}
       )
       SELECT req.i FROM access JOIN req ON req.jti = access.jti`);

/**
 * Rotating refresh grants, a group of them in one statement: for each request `i` the
 * compare-and-set retirement of its presented row (the same validity check as a reusable grant),
 * then, only where that succeeded, the successor row, its access token and the outbox rows; answers
 * the `i` of the requests that rotated. A row locked by a concurrent rotation is re-checked after
 * that commits (READ COMMITTED), so it is retired once. The caller sends each presented row at most
 * once per group.
 */
const ROTATE_GROUP_SQL = preparedStatement(`WITH req AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(i int, refresh_id uuid, at timestamptz, revision int,
           id uuid, token_hash text, family_id uuid, client_id text, user_id uuid, username text, scope text, rotation_salt text,
           issued_at timestamptz, expires_at timestamptz, jti text, access_issued_at timestamptz, access_expires_at timestamptz, events jsonb)
       ), claimed AS (
         UPDATE "auth"."refresh_token" rt SET retired_at = req.at
           FROM req, "auth"."client" c, "auth"."user" u
         WHERE rt.id = req.refresh_id AND c.client_id = rt.client_id AND u.id = rt.user_id AND ${LIVE_FOR_REQUEST}
         RETURNING req.i
       ), refresh AS (
         INSERT INTO "auth"."refresh_token" (id, token_hash, family_id, client_id, user_id, username, scope, rotation_salt, issued_at, expires_at)
         SELECT req.id, req.token_hash, req.family_id, req.client_id, req.user_id, req.username, req.scope, req.rotation_salt, req.issued_at, req.expires_at
           FROM claimed JOIN req ON req.i = claimed.i
         RETURNING id
       ), access AS (
         INSERT INTO "auth"."access_token" (jti, refresh_token_id, family_id, client_id, username, issued_at, expires_at)
         SELECT req.jti, refresh.id, req.family_id, req.client_id, req.username, req.access_issued_at, req.access_expires_at
           FROM refresh JOIN req ON req.id = refresh.id
         RETURNING jti
       ), events AS (
         ${outboxInsertSql('auth', { sql: '(SELECT jsonb_agg(ev) FROM access JOIN req ON req.jti = access.jti, jsonb_array_elements(req.events) AS ev)' })}
       )
       SELECT req.i FROM access JOIN req ON req.jti = access.jti`);

interface RotationItem {
  conditions: RefreshGrantConditions;
  next: NewRefreshToken;
  access: NewAccessToken;
  events: PendingEvent[];
}

/** `auth.refresh_token` and `auth.access_token`. The hot paths are single statements (one round trip, one commit). */
@Injectable()
export class PrismaIssuedTokenRepository implements IssuedTokenRepository {
  /** Reusable refresh grants share a statement and a commit (the audit outbox row makes each commit NOTIFY, which PostgreSQL serialises). */
  private readonly reusableGrants = new GroupCommit((items: { conditions: RefreshGrantConditions; access: NewAccessToken; events: PendingEvent[] }[]) => this.issueGroup(items), { maxBatch: 64, maxInFlight: 2 });
  /** Rotations likewise: one statement and one commit for the rotations that arrive meanwhile. */
  private readonly rotations = new GroupCommit((items: RotationItem[]) => this.rotateGroup(items), { maxBatch: 64, maxInFlight: 2 });

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
   * The validity check, the access-token row and the outbox rows in one statement, group-committed
   * with the reusable grants that arrive meanwhile (each keeps its own check and answer). `FOR SHARE`
   * makes a concurrent revocation of the same row wait for this commit, so the revocation sees (and
   * names) the access token issued here, or this write sees the revocation.
   */
  async issueFromRefreshToken(conditions: RefreshGrantConditions, access: NewAccessToken, events: PendingEvent[]): Promise<boolean> {
    const issued = await this.reusableGrants.submit({ conditions, access, events });
    if (issued) nudgeIf(this.outbox, events);
    return issued;
  }

  private async issueGroup(items: { conditions: RefreshGrantConditions; access: NewAccessToken; events: PendingEvent[] }[]): Promise<boolean[]> {
    const requests = items.map(({ conditions, access, events }, i) => ({
      i,
      refresh_id: conditions.refreshTokenId,
      at: conditions.now.toISOString(),
      revision: conditions.clientRevision,
      jti: access.jti,
      family_id: access.familyId,
      client_id: access.clientId,
      username: access.username,
      issued_at: access.issuedAt.toISOString(),
      expires_at: access.expiresAt.toISOString(),
      events: authOutboxRows(events),
    }));
    return this.grantedInGroup(ISSUE_FROM_REFRESH_SQL, requests, items.length);
  }

  /**
   * Compare-and-set retirement of the presented row, the successor, its access token and the outbox
   * rows, in one statement group-committed with the rotations that arrive meanwhile. False when the
   * row was no longer live (retired by a concurrent rotation, revoked, expired, client changed).
   */
  async rotateRefreshToken(conditions: RefreshGrantConditions, next: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<boolean> {
    const rotated = await this.rotations.submit({ conditions, next, access, events });
    if (rotated) nudgeIf(this.outbox, events);
    return rotated;
  }

  private async rotateGroup(items: RotationItem[]): Promise<boolean[]> {
    // One UPDATE can retire a row for only one of the requests presenting it: the first goes, the
    // others lose the race as they would one after another (the caller then reads the row again).
    const presented = new Set<string>();
    const requests = [];
    for (const [i, { conditions, next, access, events }] of items.entries()) {
      if (presented.has(conditions.refreshTokenId)) continue;
      presented.add(conditions.refreshTokenId);
      requests.push({
        i,
        refresh_id: conditions.refreshTokenId,
        at: conditions.now.toISOString(),
        revision: conditions.clientRevision,
        id: next.id,
        token_hash: next.tokenHash,
        family_id: next.familyId,
        client_id: next.clientId,
        user_id: next.userId,
        username: next.username,
        scope: next.scope,
        rotation_salt: next.rotationSalt,
        issued_at: next.issuedAt.toISOString(),
        expires_at: next.expiresAt.toISOString(),
        jti: access.jti,
        access_issued_at: access.issuedAt.toISOString(),
        access_expires_at: access.expiresAt.toISOString(),
        events: authOutboxRows(events),
      });
    }
    return this.grantedInGroup(ROTATE_GROUP_SQL, requests, items.length);
  }

  /**
   * Runs a group statement over its requests (as one JSON parameter) and tells each of the `count`
   * items whether it was granted: the statement returns the index `i` of every request it wrote.
   */
  private async grantedInGroup(sql: string, requests: readonly { i: number }[], count: number): Promise<boolean[]> {
    const rows = await this.prisma.$queryRawUnsafe<{ i: number }[]>(sql, JSON.stringify(requests));
    const granted = new Set(rows.map((row) => row.i));
    return Array.from({ length: count }, (_, i) => granted.has(i));
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
