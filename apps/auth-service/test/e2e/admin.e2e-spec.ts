/**
 * The admin API through HTTP with a real admin token from the bootstrap admin (AUTH_ADMIN_*):
 * clients (secret shown once, rotation), users (create, disable, reset), CIDRs, scope enforcement.
 */
import { eventually } from '@npi/testing';
import { postForm, startAuthService, uniqueId } from '../support/auth-test-service';
import type { StartedAuth } from '../support/auth-test-service';

jest.setTimeout(30_000);

describe('auth-service admin API', () => {
  let auth: StartedAuth;
  let adminToken: string;

  const api = async (method: string, path: string, body?: unknown, token = adminToken) => {
    const response = await fetch(`${auth.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string } } };
  };
  const login = (client: { clientId: string; clientSecret: string }, username: string, password: string) =>
    postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username, password }, { basic: { id: client.clientId, secret: client.clientSecret } });

  beforeAll(async () => {
    auth = await startAuthService();
    const issued = await login({ clientId: auth.admin.clientId, clientSecret: auth.admin.clientSecret }, auth.admin.username, auth.admin.password);
    expect(issued.status).toBe(200);
    expect(issued.body.scope).toBe('admin');
    adminToken = issued.body.access_token as string;
    // The admin API's source check learns the admin client from auth.client.updated.v1 over Kafka.
    await eventually(async () => expect((await api('GET', '/admin/clients')).status).toBe(200), { timeoutMs: 30_000 });
  }, 90_000);
  afterAll(async () => auth?.stop(), 30_000);

  it('refuses calls without a token, or with a token lacking the admin scope', async () => {
    const anonymous = await fetch(`${auth.url}/admin/clients`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('ERR_TOKEN_MISSING');
    const bank = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
    const user = await auth.createUser(bank.clientId);
    const memberToken = (await login(bank, user.username, user.password)).body.access_token as string;
    const refused = await api('GET', '/admin/clients', undefined, memberToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('ERR_INSUFFICIENT_SCOPE');
    const forged = await api('GET', '/admin/clients', undefined, `${adminToken.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.body.error?.code).toBe('ERR_TOKEN_INVALID');
  });

  it('creates a client (secret shown once) and a user; the member then obtains tokens', async () => {
    const clientId = uniqueId('member');
    const created = await api('POST', '/admin/clients', { clientId, allowedCidrs: ['127.0.0.1/32', '::1/128'], memberCode: 'NIBL' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ clientId, status: 'ACTIVE', allowedCidrs: ['127.0.0.1/32', '::1/128'], scopes: ['read', 'write', 'trust'], revision: 1 });
    const clientSecret = created.body.clientSecret as string;
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const shown = await api('GET', `/admin/clients/${clientId}`);
    expect(shown.body).not.toHaveProperty('clientSecret');
    expect(JSON.stringify(shown.body)).not.toContain('scrypt');

    const user = await api('POST', `/admin/clients/${clientId}/users`, { username: 'teller.one' });
    expect(user.status).toBe(201);
    const password = user.body.password as string;
    expect((await login({ clientId, clientSecret }, 'teller.one', password)).status).toBe(200);

    // CIDRs changed to exclude loopback: the token endpoint now refuses the member.
    const narrowed = await api('PATCH', `/admin/clients/${clientId}`, { allowedCidrs: ['10.0.0.0/8'] });
    expect(narrowed.body).toMatchObject({ allowedCidrs: ['10.0.0.0/8'], revision: 2 });
    expect((await login({ clientId, clientSecret }, 'teller.one', password)).body).toMatchObject({ error_code: 'ERR_SOURCE_IP_NOT_ALLOWED' });
    await api('PATCH', `/admin/clients/${clientId}`, { allowedCidrs: ['127.0.0.1/32', '::1/128'] });

    // Rotation: the old secret stops working at once, the new one works.
    const rotated = await api('POST', `/admin/clients/${clientId}/secret`);
    expect(rotated.status).toBe(200);
    expect((await login({ clientId, clientSecret }, 'teller.one', password)).body).toMatchObject({ error: 'invalid_client' });
    expect((await login({ clientId, clientSecret: rotated.body.clientSecret as string }, 'teller.one', password)).status).toBe(200);
  });

  it('disables a user (its refresh tokens die) and resets a password (old one stops working)', async () => {
    const bank = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
    const user = await auth.createUser(bank.clientId);
    const pair = await login(bank, user.username, user.password);
    const disabled = await api('PATCH', `/admin/clients/${bank.clientId}/users/${user.username}`, { status: 'DISABLED' });
    expect(disabled.body).toMatchObject({ username: user.username, status: 'DISABLED' });
    const refresh = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: pair.body.refresh_token as string }, { basic: { id: bank.clientId, secret: bank.clientSecret } });
    expect(refresh.body).toMatchObject({ error: 'invalid_grant' });
    expect((await login(bank, user.username, user.password)).body).toMatchObject({ error: 'invalid_grant' });

    await api('PATCH', `/admin/clients/${bank.clientId}/users/${user.username}`, { status: 'ACTIVE' });
    const reset = await api('POST', `/admin/clients/${bank.clientId}/users/${user.username}/password`, {});
    expect(reset.status).toBe(200);
    expect((await login(bank, user.username, user.password)).body).toMatchObject({ error: 'invalid_grant' });
    expect((await login(bank, user.username, reset.body.password as string)).status).toBe(200);
  });

  it('never echoes a password the operator chose (create and reset answer without it)', async () => {
    const bank = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
    const chosen = `Chosen-${uniqueId('pw')}`;
    const created = await api('POST', `/admin/clients/${bank.clientId}/users`, { username: 'teller.chosen', password: chosen });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ username: 'teller.chosen', status: 'ACTIVE', failedAttempts: 0, lockedUntil: null });
    expect(JSON.stringify(created.body)).not.toContain(chosen);
    expect((await login(bank, 'teller.chosen', chosen)).status).toBe(200);
    const next = `Chosen-${uniqueId('pw')}`;
    const reset = await api('POST', `/admin/clients/${bank.clientId}/users/teller.chosen/password`, { password: next });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ username: 'teller.chosen' });
    expect((await login(bank, 'teller.chosen', next)).status).toBe(200);
  });

  it('sets and shows the refresh-token policy (reusable by default, rotating with a 0-60 s grace window)', async () => {
    const clientId = uniqueId('policy');
    const created = await api('POST', '/admin/clients', { clientId, allowedCidrs: ['127.0.0.1/32'] });
    expect(created.body).toMatchObject({ refreshTokenPolicy: 'reusable', refreshGraceSeconds: 0 });
    const changed = await api('PATCH', `/admin/clients/${clientId}`, { refreshTokenPolicy: 'rotating', refreshGraceSeconds: 30 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ refreshTokenPolicy: 'rotating', refreshGraceSeconds: 30 });
    expect((await api('GET', `/admin/clients/${clientId}`)).body).toMatchObject({ refreshTokenPolicy: 'rotating', refreshGraceSeconds: 30 });
    for (const invalid of [{ refreshGraceSeconds: 61 }, { refreshGraceSeconds: -1 }, { refreshTokenPolicy: 'sliding' }]) {
      const refused = await api('PATCH', `/admin/clients/${clientId}`, invalid);
      expect(refused.status).toBe(400);
      expect(refused.body.error?.code).toBe('ERR_VALIDATION');
    }
  });

  it('validates input with ERR_VALIDATION and answers unknown clients with ERR_CLIENT_NOT_FOUND', async () => {
    const invalid = await api('POST', '/admin/clients', { clientId: 'x', allowedCidrs: ['10.0.0.0/33'] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.code).toBe('ERR_VALIDATION');
    const badPolicy = await api('PATCH', `/admin/clients/${auth.admin.clientId}`, { refreshTokenPolicy: 'sliding', refreshGraceSeconds: 61 });
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.error?.code).toBe('ERR_VALIDATION');
    expect((badPolicy.body.error as { message?: string } | undefined)?.message).toMatch(/refreshTokenPolicy: .*; refreshGraceSeconds: /);
    const missing = await api('GET', `/admin/clients/${uniqueId('nobody')}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('ERR_CLIENT_NOT_FOUND');
    const duplicate = await api('POST', '/admin/clients', { clientId: auth.admin.clientId, allowedCidrs: ['10.0.0.0/8'] });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error?.code).toBe('ERR_CLIENT_EXISTS');
  });
});
