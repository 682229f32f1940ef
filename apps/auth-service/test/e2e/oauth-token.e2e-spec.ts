/**
 * The token server through HTTP as an independent OAuth client sees it (plain fetch, form bodies),
 * against the real PostgreSQL and Kafka: grants, rotation and reuse (rotating client), every RFC 6749 section 5.2 error,
 * expiry with an injected clock, lockout, revocation, introspection, discovery.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader } from 'jose';
import { OAUTH_CLIENT_REPOSITORY, USER_REPOSITORY } from '@npi/auth/data-access';
import type { OAuthClientRepository, UserRepository } from '@npi/auth/data-access';
import { verifyAccessToken } from '@npi/auth-guards';
import { ManualClock } from '@npi/service-runtime';
import { postForm, startAuthService, uniqueId } from '../support/auth-test-service';
import type { StartedAuth } from '../support/auth-test-service';

const ISSUER = 'http://auth.npi.test';

/** A hash as the former scheme stored it (scrypt, NFKC, `$scrypt$ln=..,r=8,p=1$salt$hash`). */
function legacyScryptHash(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret.normalize('NFKC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 256 * 2 ** 15 * 8 });
  return `$scrypt$ln=15,r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

jest.setTimeout(30_000);

describe('auth-service token endpoint (RFC 6749 / 7009 / 7662 / 8414 / 9068)', () => {
  const clock = new ManualClock(Date.now());
  let auth: StartedAuth;
  let bank: { clientId: string; clientSecret: string };
  let user: { username: string; password: string };
  let rotating: { clientId: string; clientSecret: string };
  let rotatingUser: { username: string; password: string };

  const token = (form: Record<string, string>, basic: { id: string; secret: string } | null = { id: bank.clientId, secret: bank.clientSecret }) =>
    postForm(`${auth.url}/oauth/token`, form, { basic: basic ?? undefined });
  const login = () => token({ grant_type: 'password', username: user.username, password: user.password });

  beforeAll(async () => {
    auth = await startAuthService({ clock });
    bank = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
    user = await auth.createUser(bank.clientId);
    rotating = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'], refreshTokenPolicy: 'rotating' });
    rotatingUser = await auth.createUser(rotating.clientId);
  }, 60_000);
  afterAll(async () => auth?.stop(), 30_000);

  describe('password grant', () => {
    it('returns an RFC 9068 access token and a refresh token, with Cache-Control: no-store', async () => {
      const response = await login();
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        refresh_expires_in: 43200,
        scope: 'read write trust',
        customerdetails: null,
      });
      const header = decodeProtectedHeader(response.body.access_token as string);
      expect(header).toMatchObject({ typ: 'at+jwt', alg: 'ES256', kid: expect.any(String) });
      // A resource server verifies it offline through the published JWKS.
      const jwks = createRemoteJWKSet(new URL(`${auth.url}/.well-known/jwks.json`));
      const principal = await verifyAccessToken(response.body.access_token as string, jwks, { issuer: ISSUER, audience: 'npi', now: clock.now() });
      expect(principal).toMatchObject({ clientId: bank.clientId, subject: user.username, scopes: ['read', 'write', 'trust'] });
    });

    it('grants a narrower scope on request and refuses a broader one (invalid_scope)', async () => {
      const narrow = await token({ grant_type: 'password', username: user.username, password: user.password, scope: 'read' });
      expect(narrow.status).toBe(200);
      expect(narrow.body.scope).toBe('read');
      const broad = await token({ grant_type: 'password', username: user.username, password: user.password, scope: 'read admin' });
      expect(broad.status).toBe(400);
      expect(broad.body).toMatchObject({ error: 'invalid_scope', error_code: 'ERR_INVALID_SCOPE' });
    });

    it('upgrades a former scrypt password hash and client-secret hash to argon2id on the next successful login', async () => {
      const clients = auth.service.app.get<OAuthClientRepository>(OAUTH_CLIENT_REPOSITORY);
      const users = auth.service.app.get<UserRepository>(USER_REPOSITORY);
      const legacyClient = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
      const legacyUser = await auth.createUser(legacyClient.clientId);
      const clientRow = (await clients.findClient(legacyClient.clientId))!;
      const userRow = (await users.findUser(clientRow.id, legacyUser.username))!;
      await clients.replaceClientSecretHash(legacyClient.clientId, clientRow.secretHash, legacyScryptHash(legacyClient.clientSecret));
      await users.updateUser(userRow.id, { passwordHash: legacyScryptHash(legacyUser.password) }, []);
      const basic = { id: legacyClient.clientId, secret: legacyClient.clientSecret };

      const wrong = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: legacyUser.username, password: 'not-the-password' }, { basic });
      expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
      expect((await users.findUser(clientRow.id, legacyUser.username))!.passwordHash).toMatch(/^\$scrypt\$/);

      const ok = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: legacyUser.username, password: legacyUser.password }, { basic });
      expect(ok.status).toBe(200);
      expect((await users.findUser(clientRow.id, legacyUser.username))!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect((await clients.findClient(legacyClient.clientId))!.secretHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      // The upgraded hashes verify the same secrets.
      expect((await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: legacyUser.username, password: legacyUser.password }, { basic })).status).toBe(200);
    });

    it('accepts a JSON body too', async () => {
      const response = await fetch(`${auth.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${bank.clientId}:${bank.clientSecret}`).toString('base64')}` },
        body: JSON.stringify({ grant_type: 'password', username: user.username, password: user.password }),
      });
      expect(response.status).toBe(200);
    });
  });

  describe('refresh grant of a rotating client', () => {
    // The default policy (reusable) is covered by refresh-token-policy.e2e-spec.ts.
    const token = (form: Record<string, string>, basic: { id: string; secret: string } = { id: rotating.clientId, secret: rotating.clientSecret }) =>
      postForm(`${auth.url}/oauth/token`, form, { basic });
    const login = () => token({ grant_type: 'password', username: rotatingUser.username, password: rotatingUser.password });

    it('rotates: a new pair, and the presented refresh token is retired', async () => {
      const first = await login();
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string });
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
      expect(second.body.access_token).not.toBe(first.body.access_token);
      const third = await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token as string });
      expect(third.status).toBe(200);
    });

    it('reuse of a retired refresh token revokes the whole family', async () => {
      const first = await login();
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string });
      const reuse = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string });
      expect(reuse.status).toBe(400);
      expect(reuse.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_REUSED' });
      // The legitimate-looking latest member of the family is dead too, and so is its access token.
      const afterReuse = await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token as string });
      expect(afterReuse.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
      const introspection = await introspect(second.body.access_token as string);
      expect(introspection.body).toEqual({ active: false });
    });

    it('two concurrent uses of one refresh token: exactly one rotates, the other is reuse and kills the family', async () => {
      const first = await login();
      const [a, b] = await Promise.all([
        token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string }),
        token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 400]);
      const winner = a.status === 200 ? a : b;
      const loser = a.status === 200 ? b : a;
      expect(loser.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_REUSED' });
      const after = await token({ grant_type: 'refresh_token', refresh_token: winner.body.refresh_token as string });
      expect(after.body).toMatchObject({ error: 'invalid_grant' });
    });

    it('refuses a refresh token of another client (invalid_grant)', async () => {
      const other = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
      const first = await login();
      const stolen = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string }, { id: other.clientId, secret: other.clientSecret });
      expect(stolen.status).toBe(400);
      expect(stolen.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
    });
  });

  describe('RFC 6749 section 5.2 errors', () => {
    it('invalid_client (401 + WWW-Authenticate: Basic) without, with wrong, or with unknown client credentials', async () => {
      const cases = [
        await token({ grant_type: 'password', username: user.username, password: user.password }, null),
        await token({ grant_type: 'password', username: user.username, password: user.password }, { id: bank.clientId, secret: 'wrong-secret' }),
        await token({ grant_type: 'password', username: user.username, password: user.password }, { id: uniqueId('nobody'), secret: 'x' }),
      ];
      for (const response of cases) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.body).toMatchObject({ error: 'invalid_client', error_code: 'ERR_INVALID_CLIENT' });
      }
    });

    it('invalid_client for client_secret_post by a client configured for Basic; post works when configured', async () => {
      const viaPost = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: user.username, password: user.password, client_id: bank.clientId, client_secret: bank.clientSecret });
      expect(viaPost.status).toBe(401);
      expect(viaPost.body).toMatchObject({ error: 'invalid_client' });
      const postClient = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'], authMethod: 'client_secret_post' });
      const postUser = await auth.createUser(postClient.clientId);
      const ok = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: postUser.username, password: postUser.password, client_id: postClient.clientId, client_secret: postClient.clientSecret });
      expect(ok.status).toBe(200);
    });

    it('invalid_request: missing grant_type, missing parameters, repeated parameter, two auth methods, malformed body', async () => {
      const expectInvalidRequest = (response: { status: number; body: Record<string, unknown> }) => {
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error: 'invalid_request', error_code: 'ERR_INVALID_REQUEST' });
      };
      expectInvalidRequest(await token({ username: user.username, password: user.password }));
      expectInvalidRequest(await token({ grant_type: 'password', username: user.username }));
      expectInvalidRequest(await token({ grant_type: 'refresh_token' }));
      const repeated = await fetch(`${auth.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${bank.clientId}:${bank.clientSecret}`).toString('base64')}` },
        body: `grant_type=password&username=${user.username}&username=other&password=${encodeURIComponent(user.password)}`,
      });
      expectInvalidRequest({ status: repeated.status, body: (await repeated.json()) as Record<string, unknown> });
      expectInvalidRequest(await token({ grant_type: 'password', username: user.username, password: user.password, client_secret: bank.clientSecret }));
      const malformed = await fetch(`${auth.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
      expectInvalidRequest({ status: malformed.status, body: (await malformed.json()) as Record<string, unknown> });
    });

    it('unusual unicode in a JSON or form body (NUL, lone surrogates, invalid UTF-8) is a 4xx, never a 5xx', async () => {
      const basic = `Basic ${Buffer.from(`${bank.clientId}:${bank.clientSecret}`).toString('base64')}`;
      const bodies: { type: string; body: string | Buffer }[] = [
        { type: 'application/json', body: '{"grant_type":"password","username":"a\\u0000b","password":"x"}' },
        { type: 'application/json', body: '{"grant_type":"password","username":"\\ud800","password":"\\udfff"}' },
        { type: 'application/json', body: '{"grant_type":"refresh_token","refresh_token":"\\u0000"}' },
        { type: 'application/json', body: '{"grant_type\\u0000":"password"}' },
        { type: 'application/json', body: Buffer.concat([Buffer.from('{"grant_type":"password","username":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('","password":"x"}')]) },
        { type: 'application/x-www-form-urlencoded', body: 'grant_type=password&username=%00&password=%ED%A0%80' },
        { type: 'application/x-www-form-urlencoded', body: 'grant_type=password&username=%C3%28%FF&password=x' },
      ];
      for (const { type, body } of bodies) {
        const response = await fetch(`${auth.url}/oauth/token`, { method: 'POST', headers: { 'content-type': type, authorization: basic }, body });
        expect([response.status, type, String(body)]).toEqual([400, type, String(body)]);
        expect(((await response.json()) as Record<string, unknown>).error).toMatch(/^invalid_(request|grant)$/);
      }
      const nulClient = await fetch(`${auth.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('a%00b:secret').toString('base64')}` },
        body: 'grant_type=password&username=x&password=y',
      });
      expect(nulClient.status).toBe(401);
    });

    it('unsupported_grant_type for authorization_code, client_credentials and nonsense', async () => {
      for (const grantType of ['authorization_code', 'client_credentials', 'urn:x']) {
        const response = await token({ grant_type: grantType });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error: 'unsupported_grant_type', error_code: 'ERR_UNSUPPORTED_GRANT_TYPE' });
      }
    });

    it('unauthorized_client when the client may not use the grant', async () => {
      const refreshOnly = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'], grantTypes: ['refresh_token'] });
      const response = await token({ grant_type: 'password', username: 'x', password: 'y' }, { id: refreshOnly.clientId, secret: refreshOnly.clientSecret });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'unauthorized_client', error_code: 'ERR_UNAUTHORIZED_CLIENT' });
    });

    it('invalid_grant for a wrong password, an unknown user and an unknown refresh token', async () => {
      for (const form of <Record<string, string>[]>[
        { grant_type: 'password', username: user.username, password: 'wrong-password' },
        { grant_type: 'password', username: uniqueId('ghost'), password: 'whatever' },
        { grant_type: 'refresh_token', refresh_token: 'A'.repeat(43) },
      ]) {
        const response = await token(form);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
      }
      // One failure must not lock anyone: the right password still works.
      expect((await login()).status).toBe(200);
    });
  });

  describe('expiry (injected clock)', () => {
    it('the access token expires after 300 s and the refresh token after 12 h', async () => {
      const pair = await login();
      expect((await introspect(pair.body.access_token as string)).body).toMatchObject({ active: true, client_id: bank.clientId, username: user.username });
      clock.advance(301_000);
      expect((await introspect(pair.body.access_token as string)).body).toEqual({ active: false });
      // Refresh still works within 12 h...
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: pair.body.refresh_token as string });
      expect(refreshed.status).toBe(200);
      // ...and not after.
      clock.advance(43_200_000 + 1_000);
      const expired = await token({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token as string });
      expect(expired.status).toBe(400);
      expect(expired.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_EXPIRED' });
    });

    it('honours per-client lifetimes', async () => {
      const shortLived = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'], accessTokenTtlSeconds: 60, refreshTokenTtlSeconds: 600 });
      const shortUser = await auth.createUser(shortLived.clientId);
      const pair = await token({ grant_type: 'password', username: shortUser.username, password: shortUser.password }, { id: shortLived.clientId, secret: shortLived.clientSecret });
      expect(pair.body).toMatchObject({ expires_in: 60, refresh_expires_in: 600 });
      clock.advance(601_000);
      const expired = await token({ grant_type: 'refresh_token', refresh_token: pair.body.refresh_token as string }, { id: shortLived.clientId, secret: shortLived.clientSecret });
      expect(expired.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_EXPIRED' });
    });
  });

  describe('lockout', () => {
    it('locks a user after 5 failures with a growing delay, even for the right password', async () => {
      const victim = await auth.createUser(bank.clientId);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const failed = await token({ grant_type: 'password', username: victim.username, password: 'guess-' + attempt });
        expect(failed.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
      }
      const locked = await token({ grant_type: 'password', username: victim.username, password: victim.password });
      expect(locked.status).toBe(400);
      expect(locked.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_USER_LOCKED' });
      clock.advance(31_000);
      // One more failure after the first lock doubles the delay (60 s).
      await token({ grant_type: 'password', username: victim.username, password: 'guess-again' });
      clock.advance(31_000);
      expect((await token({ grant_type: 'password', username: victim.username, password: victim.password })).body).toMatchObject({ error_code: 'ERR_USER_LOCKED' });
      clock.advance(30_000);
      expect((await token({ grant_type: 'password', username: victim.username, password: victim.password })).status).toBe(200);
    });
  });

  describe('revocation and introspection', () => {
    it('revoking a refresh token (RFC 7009) kills it and the access token of its family', async () => {
      const pair = await login();
      const revoked = await postForm(`${auth.url}/oauth/revoke`, { token: pair.body.refresh_token as string, token_type_hint: 'refresh_token' }, { basic: { id: bank.clientId, secret: bank.clientSecret } });
      expect(revoked.status).toBe(200);
      const refresh = await token({ grant_type: 'refresh_token', refresh_token: pair.body.refresh_token as string });
      expect(refresh.body).toMatchObject({ error: 'invalid_grant' });
      expect((await introspect(pair.body.access_token as string)).body).toEqual({ active: false });
    });

    it('revoking an access token makes it inactive; unknown tokens answer 200', async () => {
      const pair = await login();
      const revoked = await postForm(`${auth.url}/oauth/revoke`, { token: pair.body.access_token as string }, { basic: { id: bank.clientId, secret: bank.clientSecret } });
      expect(revoked.status).toBe(200);
      expect((await introspect(pair.body.access_token as string)).body).toEqual({ active: false });
      expect((await introspect(pair.body.refresh_token as string)).body).toMatchObject({ active: true, token_type: 'refresh_token' });
      const unknown = await postForm(`${auth.url}/oauth/revoke`, { token: 'nonsense' }, { basic: { id: bank.clientId, secret: bank.clientSecret } });
      expect(unknown.status).toBe(200);
    });

    it('introspection needs a client with the introspect scope', async () => {
      const pair = await login();
      const refused = await postForm(`${auth.url}/oauth/introspect`, { token: pair.body.access_token as string }, { basic: { id: bank.clientId, secret: bank.clientSecret } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'unauthorized_client', error_code: 'ERR_UNAUTHORIZED_CLIENT' });
    });
  });

  describe('discovery', () => {
    it('publishes RFC 8414 metadata and the JWKS', async () => {
      const metadata = (await (await fetch(`${auth.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({
        issuer: ISSUER,
        token_endpoint: `${ISSUER}/oauth/token`,
        jwks_uri: `${ISSUER}/.well-known/jwks.json`,
        revocation_endpoint: `${ISSUER}/oauth/revoke`,
        introspection_endpoint: `${ISSUER}/oauth/introspect`,
        grant_types_supported: ['password', 'refresh_token'],
      });
      const jwks = (await (await fetch(`${auth.url}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
      expect(jwks.keys[0]).not.toHaveProperty('d');
    });
  });

  let introspector: { clientId: string; clientSecret: string } | undefined;
  async function introspect(value: string) {
    introspector ??= await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'], scopes: ['introspect'] });
    return postForm(`${auth.url}/oauth/introspect`, { token: value }, { basic: { id: introspector.clientId, secret: introspector.clientSecret } });
  }
});
