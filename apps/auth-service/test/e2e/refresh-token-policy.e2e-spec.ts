/**
 * Refresh-token policy per client, through HTTP as a member's system calls it (plain fetch, form
 * bodies, Basic client authentication), against the real PostgreSQL and Kafka with an injected clock:
 * - `reusable` (the default): NCHL's integration guide, section 5.1 steps 1 to 7, replayed literally
 *   over 12 hours; bound to the client; revocable; refused for a disabled client or user at once.
 * - `rotating`: reuse detection and family revocation, the grace window, concurrent use.
 */
import { createLocalJWKSet } from 'jose';
import { AuthGuardError, verifyAccessToken } from '@npi/auth-guards';
import { ManualClock } from '@npi/service-runtime';
import { AuthAdminService } from '../../src/admin/auth-admin.service';
import { postForm, startAuthService } from '../support/auth-test-service';
import type { StartedAuth } from '../support/auth-test-service';
import { updateClientBody } from '../../src/admin/auth-admin.contracts';

const ISSUER = 'http://auth.npi.test';
const LOOPBACK = ['127.0.0.1/32', '::1/128'];

jest.setTimeout(60_000);

describe('refresh-token policy per client', () => {
  const clock = new ManualClock(Date.now());
  let auth: StartedAuth;
  let introspector: { clientId: string; clientSecret: string };

  type Client = { clientId: string; clientSecret: string };
  const basicOf = (client: Client) => ({ id: client.clientId, secret: client.clientSecret });
  const token = (client: Client, form: Record<string, string>) => postForm(`${auth.url}/oauth/token`, form, { basic: basicOf(client) });
  const refresh = (client: Client, refreshToken: string) => token(client, { grant_type: 'refresh_token', refresh_token: refreshToken });
  const introspect = (value: string) => postForm(`${auth.url}/oauth/introspect`, { token: value }, { basic: basicOf(introspector) });
  const admin = () => auth.service.app.get(AuthAdminService);

  /** What a resource server does with the bearer token: offline verification against the JWKS at the injected time. */
  let jwks: ReturnType<typeof createLocalJWKSet>;
  async function resourceAccepts(accessToken: string): Promise<boolean> {
    jwks ??= createLocalJWKSet((await (await fetch(`${auth.url}/.well-known/jwks.json`)).json()) as never);
    try {
      await verifyAccessToken(accessToken, jwks, { issuer: ISSUER, audience: 'npi', now: clock.now(), clockToleranceSeconds: 0 });
      return true;
    } catch (error) {
      if (error instanceof AuthGuardError) return false;
      throw error;
    }
  }

  async function member(policy?: { refreshTokenPolicy?: 'reusable' | 'rotating'; refreshGraceSeconds?: number }) {
    const client = await auth.createClient({ allowedCidrs: LOOPBACK, ...policy });
    const user = await auth.createUser(client.clientId);
    return { client, user, login: () => token(client, { grant_type: 'password', username: user.username, password: user.password }) };
  }

  beforeAll(async () => {
    auth = await startAuthService({ clock });
    introspector = await auth.createClient({ allowedCidrs: LOOPBACK, scopes: ['introspect'] });
  }, 60_000);
  afterAll(async () => auth?.stop(), 30_000);

  describe('reusable (default for NPI members)', () => {
    it("replays NCHL's section 5.1 steps 1-7 literally over 12 hours", async () => {
      const { client, login } = await member();
      expect((await admin().getClient(client.clientId)).refreshTokenPolicy).toBe('reusable');
      const start = clock.now().getTime();

      // Step 1: Basic client credentials + username/password, grant type password; store the refresh token.
      const pair = await login();
      expect(pair.status).toBe(200);
      expect(pair.body).toMatchObject({ token_type: 'Bearer', expires_in: 300, refresh_expires_in: 43_200 });
      const stored = pair.body.refresh_token as string;

      // Steps 2, 4, 5, 6: every time the access token has expired (401 at the resource), the stored
      // refresh token with Basic credentials only gives a new access token. Repeated for 12 hours.
      let refreshes = 0;
      let previousAccess = '';
      while (clock.now().getTime() + 301_000 < start + 43_200_000) {
        const renewed = await refresh(client, stored);
        expect(renewed.status).toBe(200);
        expect(renewed.body).toMatchObject({ token_type: 'Bearer', expires_in: 300, refresh_token: stored, scope: 'read write trust', customerdetails: null });
        // The stored token keeps its own expiry: 12 h after step 1, never extended.
        expect(renewed.body.refresh_expires_in).toBe(Math.floor((start + 43_200_000 - clock.now().getTime()) / 1000));
        const accessToken = renewed.body.access_token as string;
        expect(accessToken).not.toBe(previousAccess);
        expect(await resourceAccepts(accessToken)).toBe(true);
        clock.advance(301_000);
        // Step 6: expired access token → the resource refuses it (401 there), so the member refreshes.
        expect(await resourceAccepts(accessToken)).toBe(false);
        previousAccess = accessToken;
        refreshes += 1;
      }
      expect(refreshes).toBeGreaterThanOrEqual(140);

      // Step 7 / step 3: at 12 h the refresh token has expired → 400, and the member repeats step 1.
      clock.set(start + 43_200_000);
      const expired = await refresh(client, stored);
      expect(expired.status).toBe(400);
      expect(expired.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_EXPIRED' });
      const again = await login();
      expect(again.status).toBe(200);
      const renewed = await refresh(client, again.body.refresh_token as string);
      expect(renewed.status).toBe(200);
      expect(await resourceAccepts(renewed.body.access_token as string)).toBe(true);
    }, 180_000);

    it('serves concurrent uses of the same refresh token (no reuse detection), each with its own access token', async () => {
      const { client, login } = await member();
      const stored = (await login()).body.refresh_token as string;
      const answers = await Promise.all([1, 2, 3, 4].map(() => refresh(client, stored)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((answer) => answer.body.access_token)).size).toBe(4);
      expect(answers.every((answer) => answer.body.refresh_token === stored)).toBe(true);
    });

    it('is bound to its client (RFC 9700 section 4.14.2): another client, even authenticated, gets invalid_grant', async () => {
      const owner = await member();
      const other = await member();
      const stored = (await owner.login()).body.refresh_token as string;
      const stolen = await refresh(other.client, stored);
      expect(stolen.status).toBe(400);
      expect(stolen.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
      // Without the owner's client secret: invalid_client.
      const unauthenticated = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: stored }, { basic: { id: owner.client.clientId, secret: 'wrong-secret' } });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.body).toMatchObject({ error: 'invalid_client', error_code: 'ERR_INVALID_CLIENT' });
      expect((await refresh(owner.client, stored)).status).toBe(200);
    });

    it('is revocable (RFC 7009): the token and every access token issued from it die', async () => {
      const { client, login } = await member();
      const pair = await login();
      const stored = pair.body.refresh_token as string;
      const issued = [pair.body.access_token as string];
      for (let index = 0; index < 3; index += 1) issued.push((await refresh(client, stored)).body.access_token as string);
      for (const accessToken of issued) expect((await introspect(accessToken)).body).toMatchObject({ active: true });
      const revoked = await postForm(`${auth.url}/oauth/revoke`, { token: stored, token_type_hint: 'refresh_token' }, { basic: basicOf(client) });
      expect(revoked.status).toBe(200);
      for (const accessToken of issued) expect((await introspect(accessToken)).body).toEqual({ active: false });
      const after = await refresh(client, stored);
      expect(after.status).toBe(400);
      expect(after.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
    });

    it('is refused at once for a disabled client or user, and follows a CIDR change at once', async () => {
      const bank = await member();
      const stored = (await bank.login()).body.refresh_token as string;
      expect((await refresh(bank.client, stored)).status).toBe(200);
      await admin().updateClient(bank.client.clientId, { status: 'DISABLED' }, { sourceIp: '127.0.0.1' }, 'test');
      const disabledClient = await refresh(bank.client, stored);
      expect(disabledClient.status).toBe(401);
      expect(disabledClient.body).toMatchObject({ error: 'invalid_client', error_code: 'ERR_INVALID_CLIENT' });

      const other = await member();
      const otherStored = (await other.login()).body.refresh_token as string;
      expect((await refresh(other.client, otherStored)).status).toBe(200);
      await admin().updateClient(other.client.clientId, { allowedCidrs: ['10.0.0.0/8'] }, { sourceIp: '127.0.0.1' }, 'test');
      const outside = await refresh(other.client, otherStored);
      expect(outside.status).toBe(403);
      expect(outside.body).toMatchObject({ error: 'access_denied', error_code: 'ERR_SOURCE_IP_NOT_ALLOWED' });

      const third = await member();
      const thirdStored = (await third.login()).body.refresh_token as string;
      expect((await refresh(third.client, thirdStored)).status).toBe(200);
      await admin().updateUser(third.client.clientId, third.user.username, { status: 'DISABLED' }, { sourceIp: '127.0.0.1' }, 'test');
      const disabledUser = await refresh(third.client, thirdStored);
      expect(disabledUser.status).toBe(400);
      expect(disabledUser.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
    });
  });

  describe('rotating (opt-in)', () => {
    it('is set and shown through the admin API, with a grace window of 0-60 s', async () => {
      const { client } = await member();
      const changed = await admin().updateClient(client.clientId, { refreshTokenPolicy: 'rotating', refreshGraceSeconds: 5 }, { sourceIp: '127.0.0.1' }, 'test');
      expect(changed).toMatchObject({ refreshTokenPolicy: 'rotating', refreshGraceSeconds: 5 });
      // The admin API's body contract (ZodBodyPipe answers ERR_VALIDATION; admin.e2e-spec checks it over HTTP).
      expect(updateClientBody.safeParse({ refreshGraceSeconds: 61 }).success).toBe(false);
      expect(updateClientBody.safeParse({ refreshTokenPolicy: 'sliding' }).success).toBe(false);
    });

    it('without a grace window: concurrent use of one token is reuse, and the whole family is revoked', async () => {
      const { client, login } = await member({ refreshTokenPolicy: 'rotating' });
      const first = await login();
      const [a, b] = await Promise.all([refresh(client, first.body.refresh_token as string), refresh(client, first.body.refresh_token as string)]);
      expect([a.status, b.status].sort()).toEqual([200, 400]);
      const winner = a.status === 200 ? a : b;
      const loser = a.status === 200 ? b : a;
      expect(loser.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_REUSED' });
      expect((await refresh(client, winner.body.refresh_token as string)).body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
      expect((await introspect(winner.body.access_token as string)).body).toEqual({ active: false });
    });

    it('within the grace window: concurrent retries get the SAME successor; after it, a retry is reuse and revokes the family', async () => {
      const { client, login } = await member({ refreshTokenPolicy: 'rotating', refreshGraceSeconds: 10 });
      const first = (await login()).body.refresh_token as string;
      const answers = await Promise.all([refresh(client, first), refresh(client, first), refresh(client, first)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const successor = answers[0].body.refresh_token as string;
      expect(successor).not.toBe(first);
      expect(answers.every((answer) => answer.body.refresh_token === successor)).toBe(true);
      expect(new Set(answers.map((answer) => answer.body.access_token)).size).toBe(3);

      clock.advance(9_000);
      const lateRetry = await refresh(client, first);
      expect(lateRetry.status).toBe(200);
      expect(lateRetry.body.refresh_token).toBe(successor);

      clock.advance(2_000);
      const reuse = await refresh(client, first);
      expect(reuse.status).toBe(400);
      expect(reuse.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_REUSED' });
      expect((await refresh(client, successor)).body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
      for (const answer of [...answers, lateRetry]) expect((await introspect(answer.body.access_token as string)).body).toEqual({ active: false });
    });

    it('a retry within the grace window after the successor was itself used is reuse', async () => {
      const { client, login } = await member({ refreshTokenPolicy: 'rotating', refreshGraceSeconds: 30 });
      const first = (await login()).body.refresh_token as string;
      const second = (await refresh(client, first)).body.refresh_token as string;
      const third = await refresh(client, second);
      expect(third.status).toBe(200);
      const retry = await refresh(client, first);
      expect(retry.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_REUSED' });
      expect((await refresh(client, third.body.refresh_token as string)).body).toMatchObject({ error: 'invalid_grant' });
    });
  });
});
