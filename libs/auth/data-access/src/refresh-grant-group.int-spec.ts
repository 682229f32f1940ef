/**
 * Refresh grants are group-committed (reusable and rotating): concurrent grants share one
 * statement, yet each keeps its own validity check and answer (real PostgreSQL).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createPrismaClient } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { AuthAuditRecordedV1 } from '@npi/kafka-contracts';
import { PrismaIssuedTokenRepository } from './prisma-issued-token.repository';
import type { NewAccessToken, NewRefreshToken, PendingEvent } from './types';

describe('refresh grants, group-committed (real PostgreSQL)', () => {
  let prisma: PrismaClient;
  let repository: PrismaIssuedTokenRepository;
  let nudges = 0;

  beforeAll(() => {
    prisma = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 4, preparedStatements: true });
    repository = new PrismaIssuedTokenRepository(prisma, { nudge: () => void (nudges += 1) });
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  /** A client (revision 1), its user and `count` refresh tokens of one family each; the last `revoked` ones revoked. */
  async function aClientWithTokens(count: number, revoked: number) {
    const clientId = `group-${randomUUID().slice(0, 8)}`;
    const clientRowId = randomUUID();
    const userId = randomUUID();
    await prisma.$executeRawUnsafe(
      `INSERT INTO "auth"."client" (id, client_id, secret_hash, allowed_cidrs, scopes, grant_types) VALUES ($1::uuid, $2, 'x', '{}', '{read}', '{password,refresh_token}')`,
      clientRowId,
      clientId,
    );
    await prisma.$executeRawUnsafe(`INSERT INTO "auth"."user" (id, client_row_id, username, password_hash) VALUES ($1::uuid, $2::uuid, 'user', 'x')`, userId, clientRowId);
    const tokens = [];
    for (let i = 0; i < count; i += 1) {
      const id = randomUUID();
      const familyId = randomUUID();
      await prisma.$executeRawUnsafe(
        `INSERT INTO "auth"."refresh_token" (id, token_hash, family_id, client_id, user_id, username, scope, issued_at, expires_at, revoked_at)
         VALUES ($1::uuid, $2, $3::uuid, $4, $5::uuid, 'user', 'read', now(), now() + interval '1 hour', $6::timestamptz)`,
        id,
        randomBytes(16).toString('hex'),
        familyId,
        clientId,
        userId,
        i >= count - revoked ? new Date() : null,
      );
      tokens.push({ id, familyId, revoked: i >= count - revoked });
    }
    return { clientId, tokens };
  }

  const accessFor = (clientId: string, familyId: string): NewAccessToken => ({ jti: randomUUID(), refreshTokenId: randomUUID(), familyId, clientId, username: 'user', issuedAt: new Date(), expiresAt: new Date(Date.now() + 60_000) });
  /** An audit event keyed by the token's family, so the test can count its own outbox rows. */
  const auditEvent = (clientId: string, familyId: string): PendingEvent => ({ contract: AuthAuditRecordedV1, key: familyId, data: { action: 'token.refresh_token', outcome: 'success', clientId, username: 'user' } });

  it('40 concurrent grants over live and revoked tokens: each answers for its own token; only the live ones write their access token and outbox row', async () => {
    const { clientId, tokens } = await aClientWithTokens(40, 10);
    const accesses = tokens.map((t) => accessFor(clientId, t.familyId));
    const outboxBefore = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "auth"."outbox_event" WHERE key = ANY($1::text[])`, tokens.map((t) => t.familyId));
    const nudgesBefore = nudges;
    const results = await Promise.all(
      tokens.map((t, i) => repository.issueFromRefreshToken({ refreshTokenId: t.id, clientRevision: 1, now: new Date() }, accesses[i], [auditEvent(clientId, t.familyId)])),
    );
    expect(results).toEqual(tokens.map((t) => !t.revoked));
    // The relay is woken after each issued grant's commit (the revoked ones wrote nothing).
    expect(nudges - nudgesBefore).toBe(30);
    const written = await prisma.$queryRawUnsafe<{ jti: string }[]>(`SELECT jti FROM "auth"."access_token" WHERE client_id = $1`, clientId);
    expect(written.map((r) => r.jti).sort()).toEqual(accesses.filter((_, i) => !tokens[i].revoked).map((a) => a.jti).sort());
    const outboxAfter = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "auth"."outbox_event" WHERE key = ANY($1::text[])`, tokens.map((t) => t.familyId));
    expect(outboxAfter[0].n - outboxBefore[0].n).toBe(30);
  });

  it('a client changed since authentication (revision) refuses every grant of the group made against the old revision', async () => {
    const { clientId, tokens } = await aClientWithTokens(5, 0);
    await prisma.$executeRawUnsafe(`UPDATE "auth"."client" SET revision = 2 WHERE client_id = $1`, clientId);
    const results = await Promise.all(tokens.map((t) => repository.issueFromRefreshToken({ refreshTokenId: t.id, clientRevision: 1, now: new Date() }, accessFor(clientId, t.familyId), [])));
    expect(results).toEqual([false, false, false, false, false]);
    const fresh = await repository.issueFromRefreshToken({ refreshTokenId: tokens[0].id, clientRevision: 2, now: new Date() }, accessFor(clientId, tokens[0].familyId), []);
    expect(fresh).toBe(true);
  });

  const successorFor = (presented: { id: string; familyId: string }, clientId: string): NewRefreshToken => ({
    id: randomUUID(),
    tokenHash: randomBytes(16).toString('hex'),
    familyId: presented.familyId,
    clientId,
    userId: '',
    username: 'user',
    scope: 'read',
    rotationSalt: randomBytes(16).toString('hex'),
    issuedAt: new Date(),
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  const userOf = async (clientId: string) => (await prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT u.id::text FROM "auth"."user" u JOIN "auth"."client" c ON c.id = u.client_row_id WHERE c.client_id = $1`, clientId))[0].id;

  it('40 concurrent rotations over live and revoked tokens: each answers for its own token; only the live ones are retired and get a successor, an access token and an outbox row', async () => {
    const { clientId, tokens } = await aClientWithTokens(40, 10);
    const userId = await userOf(clientId);
    const successors = tokens.map((t) => ({ ...successorFor(t, clientId), userId }));
    const accesses = successors.map((next) => ({ ...accessFor(clientId, next.familyId), refreshTokenId: next.id }));
    const nudgesBefore = nudges;
    const results = await Promise.all(
      tokens.map((t, i) => repository.rotateRefreshToken({ refreshTokenId: t.id, clientRevision: 1, now: new Date() }, successors[i], accesses[i], [auditEvent(clientId, t.familyId)])),
    );
    expect(results).toEqual(tokens.map((t) => !t.revoked));
    expect(nudges - nudgesBefore).toBe(30);
    const retired = await prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text FROM "auth"."refresh_token" WHERE id = ANY($1::uuid[]) AND retired_at IS NOT NULL`, tokens.map((t) => t.id));
    expect(retired.map((r) => r.id).sort()).toEqual(tokens.filter((t) => !t.revoked).map((t) => t.id).sort());
    const written = await prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text FROM "auth"."refresh_token" WHERE id = ANY($1::uuid[])`, successors.map((n) => n.id));
    expect(written.map((r) => r.id).sort()).toEqual(successors.filter((_, i) => !tokens[i].revoked).map((n) => n.id).sort());
    const issued = await prisma.$queryRawUnsafe<{ jti: string; refreshTokenId: string }[]>(`SELECT jti, refresh_token_id::text AS "refreshTokenId" FROM "auth"."access_token" WHERE client_id = $1`, clientId);
    expect(issued.map((r) => r.jti).sort()).toEqual(accesses.filter((_, i) => !tokens[i].revoked).map((a) => a.jti).sort());
    for (const row of issued) expect(row.refreshTokenId).toBe(accesses.find((a) => a.jti === row.jti)?.refreshTokenId);
    const outbox = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "auth"."outbox_event" WHERE key = ANY($1::text[])`, tokens.map((t) => t.familyId));
    expect(outbox[0].n).toBe(30);
  });

  it('one token presented eight times at once rotates exactly once: one successor, the other seven refused', async () => {
    const { clientId, tokens } = await aClientWithTokens(1, 0);
    const userId = await userOf(clientId);
    const attempts = Array.from({ length: 8 }, () => {
      const next = { ...successorFor(tokens[0], clientId), userId };
      return { next, access: { ...accessFor(clientId, next.familyId), refreshTokenId: next.id } };
    });
    const results = await Promise.all(attempts.map(({ next, access }) => repository.rotateRefreshToken({ refreshTokenId: tokens[0].id, clientRevision: 1, now: new Date() }, next, access, [auditEvent(clientId, tokens[0].familyId)])));
    expect(results.filter(Boolean)).toHaveLength(1);
    const family = await prisma.$queryRawUnsafe<{ id: string; retired: boolean }[]>(`SELECT id::text, retired_at IS NOT NULL AS retired FROM "auth"."refresh_token" WHERE family_id = $1::uuid`, tokens[0].familyId);
    expect(family).toHaveLength(2);
    expect(family.find((r) => r.id === tokens[0].id)?.retired).toBe(true);
    expect(family.find((r) => r.id !== tokens[0].id)?.id).toBe(attempts[results.indexOf(true)].next.id);
    const outbox = await prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "auth"."outbox_event" WHERE key = $1`, tokens[0].familyId);
    expect(outbox[0].n).toBe(1);
  });
});
