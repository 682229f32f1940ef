/**
 * The admin rules with in-memory ports: every client change publishes auth.client.updated.v1 through
 * the outbox, disabling a client publishes the revocation cut-off, disabling a user or resetting a
 * password revokes their tokens, and secrets or chosen passwords are never stored or echoed in clear.
 */
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@npi/service-runtime';
import { InMemoryAuthRepository } from '../../test/support/in-memory-auth.repository';
import type { AuthServiceConfig } from '../config';
import type { PasswordHasher } from '../crypto/password-hasher';
import { AdminError } from '../errors';
import { createClientBody } from './auth-admin.contracts';
import { AuthAdminService } from './auth-admin.service';

const config = { AUTH_DEFAULT_SCOPE: 'read write trust', AUTH_ACCESS_TOKEN_TTL_SECONDS: 300 } as AuthServiceConfig;

/** Plain comparison: the hashing itself is password-hasher.spec.ts's subject. */
const hasher = {
  hash: async (secret: string) => `plain:${secret}`,
  verify: async (secret: string, encoded: string) => encoded === `plain:${secret}`,
} as unknown as PasswordHasher;

const facts = { sourceIp: '127.0.0.1', correlationId: 'corr-1' };

function setup() {
  const repository = new InMemoryAuthRepository();
  const clock = new ManualClock(Date.UTC(2026, 11, 6, 9, 0, 0));
  const admin = new AuthAdminService(repository, repository, repository, repository, hasher, config, clock);
  const topics = () => repository.events.map((event) => event.contract.topic);
  const eventsOf = <T>(topic: string) => repository.events.filter((event) => event.contract.topic === topic).map((event) => event.data as T);
  const createClient = (clientId = 'bank', extra: Record<string, unknown> = {}) =>
    admin.createClient(createClientBody.parse({ clientId, allowedCidrs: ['10.1.0.0/16'], ...extra }), facts, 'root');
  /** A live refresh token with one access token for the user, as a password grant leaves them. */
  const issue = async (clientId: string, userId: string, username: string, expiresInMs = 300_000) => {
    const now = clock.now();
    const id = randomUUID();
    const familyId = randomUUID();
    const jti = randomUUID();
    await repository.insertRefreshToken(
      { id, tokenHash: `hash-${id}`, familyId, clientId, userId, username, scope: 'read', rotationSalt: null, issuedAt: now, expiresAt: new Date(now.getTime() + 43_200_000) },
      { jti, refreshTokenId: id, familyId, clientId, username, issuedAt: now, expiresAt: new Date(now.getTime() + expiresInMs) },
      [],
    );
    return { id, jti };
  };
  return { repository, clock, admin, topics, eventsOf, createClient, issue };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AdminError);
  return (error as AdminError).code;
};

describe('AuthAdminService clients', () => {
  it('creates a client with defaults, stores only the hash of the secret shown once, and publishes auth.client.updated.v1 with an audit record', async () => {
    const { repository, createClient, topics, eventsOf } = setup();
    const created = await createClient('bank', { memberCode: 'BANK' });
    expect(created).toMatchObject({ clientId: 'bank', status: 'ACTIVE', revision: 1, scopes: ['read', 'write', 'trust'], grantTypes: ['password', 'refresh_token'], refreshTokenPolicy: 'reusable', refreshGraceSeconds: 0 });
    expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await repository.findClient('bank'))?.secretHash).toBe(`plain:${created.clientSecret}`);
    expect(topics()).toEqual(['auth.client.updated.v1', 'auth.audit.recorded.v1']);
    expect(eventsOf('auth.client.updated.v1')).toEqual([{ clientId: 'bank', revision: 1, status: 'ACTIVE', allowedCidrs: ['10.1.0.0/16'], memberCode: 'BANK' }]);
    expect(JSON.stringify(repository.events)).not.toContain(created.clientSecret);
  });

  it('refuses a second client with the same clientId (ERR_CLIENT_EXISTS) and writes nothing', async () => {
    const { repository, createClient } = setup();
    await createClient('bank');
    const before = repository.events.length;
    expect(await refusal(createClient('bank'))).toBe('ERR_CLIENT_EXISTS');
    expect(repository.events).toHaveLength(before);
  });

  it('disabling a client bumps its revision, publishes auth.client.updated.v1 and the revocation cut-off for its access tokens', async () => {
    const { admin, clock, createClient, eventsOf } = setup();
    await createClient('bank', { accessTokenTtlSeconds: 600 });
    const now = clock.now();
    const updated = await admin.updateClient('bank', { status: 'DISABLED' }, facts, 'root');
    expect(updated).toMatchObject({ status: 'DISABLED', revision: 2 });
    expect(eventsOf('auth.client.updated.v1').at(-1)).toMatchObject({ clientId: 'bank', revision: 2, status: 'DISABLED' });
    expect(eventsOf('auth.token.revoked.v1')).toEqual([
      { reason: 'client_disabled', jtis: [], clientId: 'bank', revokedBefore: now.toISOString(), expiresAt: new Date(now.getTime() + 600_000).toISOString() },
    ]);
  });

  it('a change other than disabling publishes the new state and no revocation', async () => {
    const { admin, createClient, eventsOf } = setup();
    await createClient('bank');
    await admin.updateClient('bank', { allowedCidrs: ['192.0.2.0/24'] }, facts, 'root');
    expect(eventsOf('auth.client.updated.v1').at(-1)).toMatchObject({ revision: 2, status: 'ACTIVE', allowedCidrs: ['192.0.2.0/24'] });
    expect(eventsOf('auth.token.revoked.v1')).toEqual([]);
  });

  it('an unknown client is ERR_CLIENT_NOT_FOUND for update and secret rotation, with no event', async () => {
    const { admin, repository } = setup();
    expect(await refusal(admin.updateClient('nobody', { status: 'DISABLED' }, facts, 'root'))).toBe('ERR_CLIENT_NOT_FOUND');
    expect(await refusal(admin.rotateSecret('nobody', facts, 'root'))).toBe('ERR_CLIENT_NOT_FOUND');
    expect(repository.events).toEqual([]);
  });

  it('rotating the secret replaces the stored hash and publishes the new revision', async () => {
    const { admin, repository, createClient, eventsOf } = setup();
    const created = await createClient('bank');
    const rotated = await admin.rotateSecret('bank', facts, 'root');
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    expect((await repository.findClient('bank'))?.secretHash).toBe(`plain:${rotated.clientSecret}`);
    expect(eventsOf('auth.client.updated.v1').at(-1)).toMatchObject({ revision: 2 });
  });
});

describe('AuthAdminService users', () => {
  it('echoes a generated password once and never one the operator chose; a second user of the same name is ERR_USER_EXISTS', async () => {
    const { admin, repository, createClient } = setup();
    await createClient('bank');
    const generated = await admin.createUser('bank', { username: 'teller' }, facts, 'root');
    expect(generated.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const chosen = await admin.createUser('bank', { username: 'clerk', password: 'a-chosen-password' }, facts, 'root');
    expect(chosen).not.toHaveProperty('password');
    expect([...repository.users.values()].find((user) => user.username === 'clerk')?.passwordHash).toBe('plain:a-chosen-password');
    expect(await refusal(admin.createUser('bank', { username: 'teller' }, facts, 'root'))).toBe('ERR_USER_EXISTS');
    expect(await refusal(admin.createUser('nobody', { username: 'teller' }, facts, 'root'))).toBe('ERR_CLIENT_NOT_FOUND');
  });

  it("disabling a user revokes that user's refresh and live access tokens (named by jti) and no one else's", async () => {
    const { admin, repository, clock, createClient, issue, eventsOf } = setup();
    await createClient('bank');
    await admin.createUser('bank', { username: 'teller' }, facts, 'root');
    await admin.createUser('bank', { username: 'clerk' }, facts, 'root');
    const userId = (name: string) => [...repository.users.values()].find((user) => user.username === name)!.id;
    const teller = await issue('bank', userId('teller'), 'teller');
    const expired = await issue('bank', userId('teller'), 'teller', 1_000);
    const clerk = await issue('bank', userId('clerk'), 'clerk');
    clock.advance(60_000);

    expect(await admin.updateUser('bank', 'teller', { status: 'DISABLED' }, facts, 'root')).toMatchObject({ username: 'teller', status: 'DISABLED' });

    expect(repository.refreshTokens.get(teller.id)?.revokedAt).toEqual(clock.now());
    expect(repository.refreshTokens.get(expired.id)?.revokedAt).toEqual(clock.now());
    expect(repository.refreshTokens.get(clerk.id)?.revokedAt).toBeNull();
    expect(repository.accessTokens.get(clerk.jti)?.revokedAt).toBeNull();
    // Only the access token still alive is named; the expired one needs no cache entry anywhere.
    expect(eventsOf<{ reason: string; jtis: string[]; subject: string }>('auth.token.revoked.v1')).toEqual([
      expect.objectContaining({ reason: 'user_disabled', jtis: [teller.jti], clientId: 'bank', subject: 'teller', revokedBefore: clock.now().toISOString() }),
    ]);
  });

  it('enabling a user revokes nothing', async () => {
    const { admin, createClient, eventsOf } = setup();
    await createClient('bank');
    await admin.createUser('bank', { username: 'teller' }, facts, 'root');
    await admin.updateUser('bank', 'teller', { status: 'ACTIVE' }, facts, 'root');
    expect(eventsOf('auth.token.revoked.v1')).toEqual([]);
  });

  it('a password reset unlocks the user, stores the new hash and, with no tokens to revoke, still publishes the cut-off', async () => {
    const { admin, repository, clock, createClient, eventsOf } = setup();
    await createClient('bank');
    await admin.createUser('bank', { username: 'teller' }, facts, 'root');
    const user = [...repository.users.values()][0];
    await repository.updateUser(user.id, { failedAttempts: 7, lockedUntil: new Date(clock.now().getTime() + 3_600_000) }, []);

    const reset = await admin.resetPassword('bank', 'teller', {}, facts, 'root');

    expect(reset.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(repository.users.get(user.id)).toMatchObject({ failedAttempts: 0, lockedUntil: null, passwordHash: `plain:${reset.password}` });
    expect(eventsOf('auth.token.revoked.v1')).toEqual([
      { reason: 'password_reset', jtis: [], clientId: 'bank', subject: 'teller', revokedBefore: clock.now().toISOString(), expiresAt: new Date(clock.now().getTime() + 300_000).toISOString() },
    ]);
    expect(await admin.resetPassword('bank', 'teller', { password: 'another-chosen-one' }, facts, 'root')).toEqual({ username: 'teller' });
    expect(await refusal(admin.resetPassword('bank', 'nobody', {}, facts, 'root'))).toBe('ERR_USER_NOT_FOUND');
  });
});
