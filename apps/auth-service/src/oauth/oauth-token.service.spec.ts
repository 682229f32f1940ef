/**
 * The token rules with in-memory ports (repository, clock, hasher): refresh-token policies, NCHL's
 * section 5.1 flow over 12 hours, rotation with reuse detection and grace window, concurrent use,
 * input the database cannot store, and a database outage as RFC 6749 `temporarily_unavailable`.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { RefreshTokenPolicy } from '@npi/auth/data-access';
import { ManualClock } from '@npi/service-runtime';
import { fakeHttp } from '@npi/testing';
import { InMemoryAuthRepository } from '../../test/support/in-memory-auth.repository';
import type { AuthServiceConfig } from '../config';
import type { PasswordHasher } from '../crypto/password-hasher';
import { loadKeyRing } from '../crypto/signing-keys';
import { OAuthError } from '../errors';
import { OAUTH_ERROR_STATUS, OAuthErrorsFilter } from '../oauth-errors.filter';
import { AccessTokenIssuer } from './access-token-issuer';
import { ClientAuthenticator } from './client-authenticator';
import { OAuthTokenService } from './oauth-token.service';
import type { TokenResponse } from './oauth-token.service';

const config = {
  AUTH_ISSUER: 'http://auth.npi.test',
  AUTH_AUDIENCE: 'npi',
  AUTH_ACCESS_TOKEN_TTL_SECONDS: 300,
  AUTH_REFRESH_TOKEN_TTL_SECONDS: 43_200,
  AUTH_LOCKOUT_THRESHOLD: 5,
  AUTH_LOCKOUT_BASE_SECONDS: 30,
  AUTH_LOCKOUT_MAX_SECONDS: 3_600,
} as AuthServiceConfig;

/** Plain comparison: the hashing itself is password-hasher.spec.ts's subject. */
const hasher = {
  hash: async (secret: string) => `plain:${secret}`,
  verify: async (secret: string, encoded: string) => encoded === `plain:${secret}`,
  needsRehash: () => false,
  verifyAgainstDummy: async () => false as const,
} as unknown as PasswordHasher;

const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'auth-unit-')), 'key.pem');
fs.writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const keys = loadKeyRing(keyFile, []);

function setup(policy: RefreshTokenPolicy, refreshGraceSeconds = 0, repository = new InMemoryAuthRepository()) {
  const clock = new ManualClock(Date.UTC(2026, 11, 6, 0, 0, 0));
  const service = new OAuthTokenService(repository, repository, repository, repository, hasher, config, clock, keys, new ClientAuthenticator(repository, hasher), new AccessTokenIssuer(keys, config));
  const clientRowId = randomUUID();
  const seed = async () => {
    await repository.createClient(
      { id: clientRowId, clientId: 'bank', secretHash: 'plain:client-secret', authMethod: 'client_secret_basic', status: 'ACTIVE', memberCode: 'BANK', allowedCidrs: ['127.0.0.1/32'], scopes: ['read', 'write', 'trust'], grantTypes: ['password', 'refresh_token'], accessTokenTtlSeconds: null, refreshTokenTtlSeconds: null, refreshTokenPolicy: policy, refreshGraceSeconds },
      () => [],
    );
    await repository.createUser({ id: randomUUID(), clientRowId, username: 'teller', passwordHash: 'plain:user-password', status: 'ACTIVE' }, []);
  };
  const call = (body: Record<string, unknown>, authorization = `Basic ${Buffer.from('bank:client-secret').toString('base64')}`) =>
    service.token({ authorization, body, sourceIp: '127.0.0.1', correlationId: 'test' });
  const login = () => call({ grant_type: 'password', username: 'teller', password: 'user-password' });
  const refresh = (refreshToken: string) => call({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const refused = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  };
  const revocations = () => repository.events.filter((event) => event.contract.topic === 'auth.token.revoked.v1').map((event) => event.data as { reason: string; jtis: string[] });
  return { repository, clock, service, seed, call, login, refresh, refused, revocations };
}

const jtiOf = (answer: TokenResponse) => (JSON.parse(Buffer.from(answer.access_token.split('.')[1], 'base64url').toString('utf8')) as { jti: string }).jti;

describe('OAuthTokenService password grant lockout', () => {
  it('locks the user from the 5th consecutive failure for 30 s (even the right password), then a success resets the count', async () => {
    const { seed, clock, call, login, refused, repository } = setup('reusable');
    await seed();
    const wrong = () => call({ grant_type: 'password', username: 'teller', password: 'not-the-password' });
    for (let attempt = 1; attempt <= 5; attempt += 1) expect((await refused(wrong())).code).toBe('ERR_INVALID_GRANT');
    const teller = () => [...repository.users.values()].find((user) => user.username === 'teller')!;
    expect(teller().lockedUntil).toEqual(new Date(clock.now().getTime() + 30_000));
    expect((await refused(login())).code).toBe('ERR_USER_LOCKED');
    clock.advance(29_000);
    expect((await refused(login())).code).toBe('ERR_USER_LOCKED');
    clock.advance(1_000);
    expect((await login()).token_type).toBe('Bearer');
    expect(teller()).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });
});

describe('OAuthTokenService refresh grant, reusable policy', () => {
  it("follows NCHL's section 5.1 steps 1-7 over 12 hours: one stored refresh token serves every renewal until it expires", async () => {
    const { seed, clock, login, refresh, refused } = setup('reusable');
    await seed();
    const start = clock.now().getTime();
    const pair = await login(); // step 1
    const stored = pair.refresh_token;
    const seen = new Set<string>();
    let renewals = 0;
    while (clock.now().getTime() + 300_000 < start + 43_200_000) {
      const renewed = await refresh(stored); // steps 2 and 6
      expect(renewed).toMatchObject({ refresh_token: stored, expires_in: 300, token_type: 'Bearer', scope: 'read write trust' });
      expect(renewed.refresh_expires_in).toBe(Math.floor((start + 43_200_000 - clock.now().getTime()) / 1000));
      seen.add(renewed.access_token);
      clock.advance(300_000); // the access token's lifetime (step 5)
      renewals += 1;
    }
    expect(renewals).toBe(143);
    expect(seen.size).toBe(143);
    clock.set(start + 43_200_000); // step 7: expired → 400 invalid_grant
    const expired = await refused(refresh(stored));
    expect({ error: expired.error, code: expired.code, status: OAUTH_ERROR_STATUS[expired.error] }).toEqual({ error: 'invalid_grant', code: 'ERR_REFRESH_TOKEN_EXPIRED', status: 400 });
    const again = await login(); // step 3: back to step 1
    expect((await refresh(again.refresh_token)).refresh_token).toBe(again.refresh_token);
  });

  it('serves concurrent uses of the same token, each with its own access token', async () => {
    const { seed, login, refresh } = setup('reusable');
    await seed();
    const stored = (await login()).refresh_token;
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => refresh(stored)));
    expect(new Set(answers.map((answer) => answer.access_token)).size).toBe(5);
    expect(answers.every((answer) => answer.refresh_token === stored)).toBe(true);
  });

  it('revocation names every live access token issued from the token', async () => {
    const { seed, login, refresh, service, repository, revocations, refused } = setup('reusable');
    await seed();
    const pair = await login();
    const renewed = [await refresh(pair.refresh_token), await refresh(pair.refresh_token)];
    await service.revoke({ authorization: `Basic ${Buffer.from('bank:client-secret').toString('base64')}`, body: { token: pair.refresh_token }, sourceIp: '127.0.0.1' });
    expect(revocations()).toEqual([expect.objectContaining({ reason: 'revoked', jtis: expect.arrayContaining([jtiOf(pair), ...renewed.map(jtiOf)]) })]);
    expect([...repository.accessTokens.values()].every((access) => access.revokedAt)).toBe(true);
    expect((await refused(refresh(pair.refresh_token))).code).toBe('ERR_INVALID_GRANT');
  });

  it('refuses at once for a disabled client (even with its record cached) or user', async () => {
    const { seed, login, refresh, repository, refused } = setup('reusable');
    await seed();
    const stored = (await login()).refresh_token;
    await refresh(stored); // the client record is now cached
    await repository.updateClient('bank', { status: 'DISABLED' }, () => []);
    const disabled = await refused(refresh(stored));
    expect({ error: disabled.error, code: disabled.code, status: OAUTH_ERROR_STATUS[disabled.error] }).toEqual({ error: 'invalid_client', code: 'ERR_INVALID_CLIENT', status: 401 });
    await repository.updateClient('bank', { status: 'ACTIVE' }, () => []);
    expect((await refresh(stored)).refresh_token).toBe(stored);
    const user = [...repository.users.values()][0];
    await repository.updateUser(user.id, { status: 'DISABLED' }, []);
    expect((await refused(refresh(stored))).code).toBe('ERR_INVALID_GRANT');
  });

  it('needs one repository write and no read per renewal once warm, and still sees a revocation made elsewhere', async () => {
    const { seed, login, refresh, repository, refused, clock } = setup('reusable');
    await seed();
    const stored = (await login()).refresh_token;
    await refresh(stored);
    const reads = [jest.spyOn(repository, 'findRefreshTokenByHash'), jest.spyOn(repository, 'findClient'), jest.spyOn(repository, 'findUser')];
    const writes = jest.spyOn(repository, 'issueFromRefreshToken');
    clock.advance(1_000);
    await refresh(stored);
    expect(reads.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
    expect(writes).toHaveBeenCalledTimes(1);
    // Revoked by another replica (straight in the store): this replica's cached row must not matter.
    const row = [...repository.refreshTokens.values()][0];
    await repository.revokeFamily(row.familyId, clock.now(), () => []);
    expect((await refused(refresh(stored))).code).toBe('ERR_INVALID_GRANT');
  });

  it('is bound to its client: another client gets invalid_grant', async () => {
    const { seed, login, call, repository, refused } = setup('reusable');
    await seed();
    const stored = (await login()).refresh_token;
    const other = await repository.findClient('bank');
    await repository.createClient({ ...other!, id: randomUUID(), clientId: 'other', secretHash: 'plain:other-secret' }, () => []);
    const stolen = await refused(call({ grant_type: 'refresh_token', refresh_token: stored }, `Basic ${Buffer.from('other:other-secret').toString('base64')}`));
    expect(stolen.code).toBe('ERR_INVALID_GRANT');
  });
});

describe('OAuthTokenService refresh grant, rotating policy', () => {
  it('rotates; presenting a retired token is reuse: the family and its access tokens are revoked', async () => {
    const { seed, login, refresh, refused, revocations } = setup('rotating');
    await seed();
    const first = await login();
    const second = await refresh(first.refresh_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const reuse = await refused(refresh(first.refresh_token));
    expect(reuse.code).toBe('ERR_REFRESH_TOKEN_REUSED');
    expect(revocations()).toEqual([expect.objectContaining({ reason: 'refresh_reuse', jtis: expect.arrayContaining([jtiOf(first), jtiOf(second)]) })]);
    expect((await refused(refresh(second.refresh_token))).code).toBe('ERR_INVALID_GRANT');
  });

  it('without a grace window, two concurrent uses: one rotation, one reuse that kills the family', async () => {
    const { seed, login, refresh } = setup('rotating');
    await seed();
    const first = await login();
    const outcomes = await Promise.allSettled([refresh(first.refresh_token), refresh(first.refresh_token)]);
    const codes = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? 'ok' : (outcome.reason as OAuthError).code)).sort();
    expect(codes).toEqual(['ERR_REFRESH_TOKEN_REUSED', 'ok']);
  });

  it('within the grace window, concurrent retries get the same successor; after it, a retry is reuse', async () => {
    const { seed, clock, login, refresh, refused } = setup('rotating', 10);
    await seed();
    const first = await login();
    const answers = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token), refresh(first.refresh_token)]);
    const successor = answers[0].refresh_token;
    expect(answers.map((answer) => answer.refresh_token)).toEqual([successor, successor, successor]);
    expect(new Set(answers.map((answer) => answer.access_token)).size).toBe(3);
    clock.advance(10_000);
    expect((await refresh(first.refresh_token)).refresh_token).toBe(successor);
    clock.advance(1);
    expect((await refused(refresh(first.refresh_token))).code).toBe('ERR_REFRESH_TOKEN_REUSED');
    expect((await refused(refresh(successor))).code).toBe('ERR_INVALID_GRANT');
  });

  it('uses a successor it wrote without a read, yet detects its reuse after another replica rotated it', async () => {
    const here = setup('rotating');
    await here.seed();
    const elsewhere = setup('rotating', 0, here.repository);
    const first = await here.login();
    const second = await here.refresh(first.refresh_token);
    const reads = jest.spyOn(here.repository, 'findRefreshTokenByHash');
    const third = await here.refresh(second.refresh_token);
    expect(reads).not.toHaveBeenCalled();
    // The other replica rotates `third`; this one still remembers it as just written (live).
    const fourth = await elsewhere.refresh(third.refresh_token);
    expect((await here.refused(here.refresh(third.refresh_token))).code).toBe('ERR_REFRESH_TOKEN_REUSED');
    expect(here.revocations()).toEqual([expect.objectContaining({ reason: 'refresh_reuse', jtis: expect.arrayContaining([jtiOf(third), jtiOf(fourth)]) })]);
    expect((await here.refused(elsewhere.refresh(fourth.refresh_token))).code).toBe('ERR_INVALID_GRANT');
  });

  it('a remembered successor is refused once its family is revoked elsewhere', async () => {
    const { seed, login, refresh, refused, repository, clock } = setup('rotating');
    await seed();
    const second = await refresh((await login()).refresh_token);
    const row = [...repository.refreshTokens.values()][0];
    await repository.revokeFamily(row.familyId, clock.now(), () => []);
    expect((await refused(refresh(second.refresh_token))).code).toBe('ERR_INVALID_GRANT');
  });

  it('a grace-window retry after the successor was used is reuse', async () => {
    const { seed, login, refresh, refused } = setup('rotating', 60);
    await seed();
    const first = await login();
    const second = await refresh(first.refresh_token);
    await refresh(second.refresh_token);
    expect((await refused(refresh(first.refresh_token))).code).toBe('ERR_REFRESH_TOKEN_REUSED');
  });
});

describe('OAuthTokenService introspection', () => {
  async function withIntrospector() {
    const context = setup('reusable');
    await context.seed();
    await context.repository.createClient(
      { id: randomUUID(), clientId: 'rs', secretHash: 'plain:rs-secret', authMethod: 'client_secret_basic', status: 'ACTIVE', memberCode: null, allowedCidrs: ['127.0.0.1/32'], scopes: ['introspect'], grantTypes: [], accessTokenTtlSeconds: null, refreshTokenTtlSeconds: null, refreshTokenPolicy: 'reusable', refreshGraceSeconds: 0 },
      () => [],
    );
    const introspect = (token: string) => context.service.introspect({ authorization: `Basic ${Buffer.from('rs:rs-secret').toString('base64')}`, body: { token }, sourceIp: '127.0.0.1', correlationId: 'test' });
    return { ...context, introspect };
  }

  it('once warm, one read per call (token and introspector together) and no client read', async () => {
    const { login, introspect, repository } = await withIntrospector();
    const pair = await login();
    expect(await introspect(pair.access_token)).toMatchObject({ active: true, client_id: 'bank', username: 'teller' });
    const reads = [jest.spyOn(repository, 'findClient'), jest.spyOn(repository, 'findAccessToken'), jest.spyOn(repository, 'findAccessTokenForIntrospection')];
    expect(await introspect(pair.access_token)).toMatchObject({ active: true, client_id: 'bank' });
    expect(reads.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 1]);
  });

  it('refuses a disabled or changed introspecting client on its next call, though its record and the token were remembered', async () => {
    const { login, introspect, repository, refused } = await withIntrospector();
    const pair = await login();
    expect(await introspect(pair.access_token)).toMatchObject({ active: true });
    await repository.updateClient('rs', { status: 'DISABLED' }, () => []);
    expect((await refused(introspect(pair.access_token))).code).toBe('ERR_INVALID_CLIENT');
    await repository.updateClient('rs', { status: 'ACTIVE' }, () => []);
    expect(await introspect(pair.access_token)).toMatchObject({ active: true });
    await repository.updateClient('rs', { scopes: ['read'] }, () => []);
    expect((await refused(introspect(pair.access_token))).error).toBe('unauthorized_client');
  });

  it('a remembered token is inactive once revoked or expired', async () => {
    const { login, introspect, repository, clock } = await withIntrospector();
    const revokedLater = await login();
    const expiring = await login();
    expect(await introspect(revokedLater.access_token)).toMatchObject({ active: true });
    expect(await introspect(expiring.access_token)).toMatchObject({ active: true });
    await repository.markAccessTokenRevoked(jtiOf(revokedLater), clock.now(), []);
    expect(await introspect(revokedLater.access_token)).toEqual({ active: false });
    clock.advance(config.AUTH_ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect(await introspect(expiring.access_token)).toEqual({ active: false });
  });
});

describe('OAuthTokenService input the database cannot store', () => {
  it.each([
    ['NUL in the username', { grant_type: 'password', username: 'teller\u0000', password: 'user-password' }],
    ['a lone surrogate in the password', { grant_type: 'password', username: 'teller', password: 'pass\ud800' }],
    ['a lone surrogate in the refresh token', { grant_type: 'refresh_token', refresh_token: '\udfff' }],
    ['NUL in a parameter name', { grant_type: 'password', 'user\u0000name': 'teller', password: 'x' }],
  ])('%s: invalid_request before any lookup, and the audit event holds no NUL', async (_name, body) => {
    const { seed, call, refused, repository } = setup('reusable');
    await seed();
    const findUser = jest.spyOn(repository, 'findUser');
    const error = await refused(call(body));
    expect({ error: error.error, code: error.code, status: OAUTH_ERROR_STATUS[error.error] }).toEqual({ error: 'invalid_request', code: 'ERR_INVALID_REQUEST', status: 400 });
    expect(findUser).not.toHaveBeenCalled();
    expect(JSON.stringify(repository.events.map((event) => event.data))).not.toMatch(/\\u0000|\\ud[89ab]/i);
  });

  it('NUL in the Basic client id: invalid_client', async () => {
    const { seed, call, refused } = setup('reusable');
    await seed();
    const error = await refused(call({ grant_type: 'password', username: 'teller', password: 'user-password' }, `Basic ${Buffer.from('ba%00nk:client-secret').toString('base64')}`));
    expect({ error: error.error, code: error.code, status: OAUTH_ERROR_STATUS[error.error] }).toEqual({ error: 'invalid_client', code: 'ERR_INVALID_CLIENT', status: 401 });
  });
});

describe('OAuthTokenService with the database unreachable', () => {
  function respond(exception: unknown) {
    const http = fakeHttp({ path: '/oauth/token' });
    new OAuthErrorsFilter({ warn: jest.fn(), error: jest.fn() } as unknown as Logger).catch(exception, http.host);
    return http.answer();
  }

  it.each([
    ['findClient', 'password'],
    ['findRefreshTokenByHash', 'refresh_token'],
    ['issueFromRefreshToken', 'refresh_token'],
  ] as const)('%s failing (connection refused) answers 503 temporarily_unavailable with no-store', async (method, grantType) => {
    const repository = new InMemoryAuthRepository();
    const { seed, login, call } = setup('reusable', 0, repository);
    await seed();
    const stored = (await login()).refresh_token;
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    jest.spyOn(repository, method).mockRejectedValue(outage);
    jest.spyOn(repository, 'appendEvents').mockRejectedValue(outage);
    const body = grantType === 'password' ? { grant_type: 'password', username: 'teller', password: 'user-password' } : { grant_type: 'refresh_token', refresh_token: stored };
    const error = await call(body).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const answer = respond(error);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String), error_code: 'ERR_SERVICE_UNAVAILABLE' });
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('any other unexpected error stays a generic 500 server_error', () => {
    const answer = respond(new TypeError('a bug'));
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ error: 'server_error' });
  });
});
