/**
 * Registry and API keys through HTTP (seed 002): secrets shown once and stored encrypted,
 * /token/generate HS256 keys that verify with jose and the client_secret, every verification rule,
 * rotation, status changes, certificate validation and rate limiting.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify, UnsecuredJWT } from 'jose';
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../../src/config';
import { ADMIN_TOKEN, apiKeyOf, createParticipant, deliveredSecret, participantKeys, sharedParticipantKeys, startGateway, uniqueCode } from '../support/hcx-fixtures';
import type { TestParticipant } from '../support/hcx-fixtures';

const INSTANCE = 'hcx-test-instance';

describe('hcx-gateway registry and API keys', () => {
  let gateway: RunningService<HcxGatewayConfig>;
  let provider: TestParticipant;

  beforeAll(async () => {
    gateway = await startGateway({ HCX_TOKEN_RATE_LIMIT_PER_CLIENT: '6', HCX_API_KEY_TTL_SECONDS: '600' });
    provider = await createParticipant(gateway.url, { role: 'provider' });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
  }, 30_000);

  const hs256 = (secret: string) => new TextEncoder().encode(secret);
  const protectedCall = (token: string) => request(gateway.url).get(`/participants/${encodeURIComponent(provider.code)}`).set('authorization', `Bearer ${token}`);

  it('delivers the client_secret (256 bits), stores only AES-GCM ciphertext, and never shows it in registry answers', async () => {
    expect(Buffer.from(provider.clientSecret, 'base64url')).toHaveLength(32);
    const admin = await request(gateway.url).get(`/participants/${encodeURIComponent(provider.code)}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(admin.body.participant_code).toBe(provider.code);
    expect(JSON.stringify(admin.body)).not.toContain(provider.clientSecret);
    expect(Object.keys(admin.body)).not.toEqual(expect.arrayContaining(['client_secret']));
    expect(JSON.stringify(admin.body)).not.toMatch(/secret/i);
    const sql = gateway.deps.prisma;
    const row = await sql.$queryRawUnsafe<{ secret_ciphertext: string; secret_kek_id: string }[]>('SELECT secret_ciphertext, secret_kek_id FROM hcx.participant WHERE participant_code = $1', provider.code);
    expect(row[0].secret_kek_id).toBe('k2');
    expect(row[0].secret_ciphertext).toMatch(/^v1\.k2\./);
    const anywhere = await sql.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM hcx.participant p WHERE p::text LIKE '%' || $1 || '%'`, provider.clientSecret);
    expect(anywhere[0].n).toBe(0);
  });

  it('issues an HS256 API key that verifies independently with jose and the client_secret (iat/exp in seconds)', async () => {
    const response = await request(gateway.url).post('/token/generate').send({ client_id: provider.code, client_secret: provider.clientSecret }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600 });
    const token = response.body.access_token as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, hs256(provider.clientSecret), { algorithms: ['HS256'], issuer: INSTANCE, subject: provider.code });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isInteger(payload.iat)).toBe(true);
    expect(payload.iat).toBeLessThan(1e11); // seconds, not milliseconds
    expect((payload.exp as number) - (payload.iat as number)).toBe(600);
    await protectedCall(token).expect(200);
  });

  it('answers a wrong secret and an unknown client identically with 401 ERR_ACCESS_DENIED', async () => {
    const wrong = await request(gateway.url).post('/token/generate').send({ client_id: provider.code, client_secret: 'x'.repeat(43) }).expect(401);
    const unknown = await request(gateway.url).post('/token/generate').send({ client_id: uniqueCode('nobody'), client_secret: 'x'.repeat(43) }).expect(401);
    expect(wrong.body.error).toEqual({ code: 'ERR_ACCESS_DENIED', message: 'invalid client credentials', trace: '' });
    expect(unknown.body.error).toEqual(wrong.body.error);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
  });

  it('rate-limits /token/generate per client with 429 ERR_RATE_LIMITED', async () => {
    const limited = await createParticipant(gateway.url, { role: 'provider' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await request(gateway.url).post('/token/generate').send({ client_id: limited.code, client_secret: limited.clientSecret })).status);
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses[6]).toBe(429);
    const last = await request(gateway.url).post('/token/generate').send({ client_id: limited.code, client_secret: limited.clientSecret }).expect(429);
    expect(last.body.error.code).toBe('ERR_RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  describe('API key verification', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const mint = (claims: Record<string, unknown>, alg = 'HS256', secret = provider.clientSecret) =>
      new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(alg.startsWith('HS') ? hs256(secret) : hs256(secret));
    const valid = () => ({ jti: randomUUID(), iss: INSTANCE, sub: provider.code, iat: now(), exp: now() + 300 });

    it.each([
      ['alg none', async () => new UnsecuredJWT(valid()).encode()],
      ['HS512 instead of HS256', async () => mint(valid(), 'HS512')],
      ['no exp', async () => mint({ ...valid(), exp: undefined })],
      ['no jti', async () => mint({ ...valid(), jti: undefined })],
      ['no iat', async () => mint({ ...valid(), iat: undefined })],
      ['another issuer', async () => mint({ ...valid(), iss: 'https://evil.example' })],
      ['expired', async () => mint({ ...valid(), iat: now() - 900, exp: now() - 300 })],
      ['issued in the future', async () => mint({ ...valid(), iat: now() + 600, exp: now() + 900 })],
      ['lifetime beyond the configured maximum', async () => mint({ ...valid(), exp: now() + 86_400 })],
      ['signed with a wrong secret', async () => mint(valid(), 'HS256', 'y'.repeat(43))],
      ['not a JWT', async () => 'not-a-jwt'],
    ])('refuses an API key with %s: 401 ERR_ACCESS_DENIED', async (_name, make) => {
      const response = await protectedCall(await make()).expect(401);
      expect(response.body.error.code).toBe('ERR_ACCESS_DENIED');
    });

    it('refuses a call without Authorization with 401 ERR_ACCESS_DENIED', async () => {
      const response = await request(gateway.url).get('/participants').expect(401);
      expect(response.body.error.code).toBe('ERR_ACCESS_DENIED');
    });

    it('accepts a participant-minted key within the rules (it is the same secret), proving the rules are what refuse the others', async () => {
      await protectedCall(await mint(valid())).expect(200);
    });
  });

  it('rotation by the participant itself revokes its earlier API keys; the new secret is delivered, not answered', async () => {
    const participant = await createParticipant(gateway.url, { role: 'payor' });
    const oldKey = await apiKeyOf(gateway.url, participant);
    const rotated = await request(gateway.url).post(`/participants/${encodeURIComponent(participant.code)}/secret/rotate`).set('authorization', `Bearer ${oldKey}`).expect(200);
    expect(rotated.body).toEqual({ participant_code: participant.code, secret_delivery: 'queued' });
    const newSecret = await deliveredSecret(participant.code, participant.clientSecret);
    const refused = await request(gateway.url).get('/participants').set('authorization', `Bearer ${oldKey}`).expect(401);
    expect(refused.body.error.code).toBe('ERR_ACCESS_DENIED');
    await request(gateway.url).post('/token/generate').send({ client_id: participant.code, client_secret: participant.clientSecret }).expect(401);
    const newKey = await apiKeyOf(gateway.url, { ...participant, clientSecret: newSecret });
    await request(gateway.url).get('/participants').set('authorization', `Bearer ${newKey}`).expect(200);
  });

  it('a participant may not rotate another participant\'s secret (403 ERR_ACCESS_DENIED)', async () => {
    const key = await apiKeyOf(gateway.url, provider);
    const other = await createParticipant(gateway.url, { role: 'payor' });
    const response = await request(gateway.url).post(`/participants/${encodeURIComponent(other.code)}/secret/rotate`).set('authorization', `Bearer ${key}`).expect(403);
    expect(response.body.error.code).toBe('ERR_ACCESS_DENIED');
  });

  it.each(['Blocked', 'Inactive'])('setting a participant %s refuses its API keys and new tokens', async (status) => {
    const participant = await createParticipant(gateway.url, { role: 'provider' });
    const key = await apiKeyOf(gateway.url, participant);
    await request(gateway.url).post(`/participants/${encodeURIComponent(participant.code)}/status`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ status }).expect(200);
    const refused = await request(gateway.url).get('/participants').set('authorization', `Bearer ${key}`).expect(401);
    expect(refused.body.error).toEqual({ code: 'ERR_ACCESS_DENIED', message: 'participant is not active', trace: '' });
    const token = await request(gateway.url).post('/token/generate').send({ client_id: participant.code, client_secret: participant.clientSecret }).expect(403);
    expect(token.body.error.code).toBe('ERR_ACCESS_DENIED');
  });

  it('participants read only the public view and may not write the registry', async () => {
    const key = await apiKeyOf(gateway.url, provider);
    const other = await createParticipant(gateway.url, { role: 'payor' });
    const view = await request(gateway.url).get(`/participants/${encodeURIComponent(other.code)}`).set('authorization', `Bearer ${key}`).expect(200);
    expect(view.body.primary_email).toBeUndefined();
    expect(view.body.endpoint_url).toBe('http://127.0.0.1:9/hcx');
    const search = await request(gateway.url).get('/participants').query({ role: 'payor', participant_code: other.code }).set('authorization', `Bearer ${key}`).expect(200);
    expect(search.body.map((p: { participant_code: string }) => p.participant_code)).toEqual([other.code]);
    const write = await request(gateway.url).post(`/participants/${encodeURIComponent(other.code)}/status`).set('authorization', `Bearer ${key}`).send({ status: 'Blocked' }).expect(403);
    expect(write.body.error.code).toBe('ERR_ACCESS_DENIED');
  });

  it('validates certificates on entry: RSA >= 2048 (ERR_INVALID_CERTIFICATE) and PEM', async () => {
    const weak = participantKeys('weak', 1024);
    const base = {
      participant_code: uniqueCode('weak'),
      participant_name: 'Weak',
      roles: ['provider'],
      primary_email: 'a@example.test',
      endpoint_url: 'http://127.0.0.1:9/hcx',
      signing_cert: sharedParticipantKeys().certificatePem,
    };
    const tooSmall = await request(gateway.url).post('/participants').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ ...base, encryption_cert: weak.certificatePem }).expect(400);
    expect(tooSmall.body.error.code).toBe('ERR_INVALID_CERTIFICATE');
    const garbage = await request(gateway.url).post('/participants').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ ...base, encryption_cert: 'not a cert' }).expect(400);
    expect(garbage.body.error.code).toBe('ERR_INVALID_CERTIFICATE');
  });

  it('refuses a duplicate participant_code (409 ERR_PARTICIPANT_EXISTS), unknown codes (404) and bad input (400 ERR_INVALID_REQUEST)', async () => {
    const again = await request(gateway.url)
      .post('/participants')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ participant_code: provider.code, participant_name: 'x', roles: ['provider'], primary_email: 'a@example.test', endpoint_url: 'http://127.0.0.1:9', encryption_cert: sharedParticipantKeys().certificatePem, signing_cert: sharedParticipantKeys().certificatePem })
      .expect(409);
    expect(again.body.error.code).toBe('ERR_PARTICIPANT_EXISTS');
    const missing = await request(gateway.url).get(`/participants/${uniqueCode('none')}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(404);
    expect(missing.body.error.code).toBe('ERR_PARTICIPANT_NOT_FOUND');
    const bad = await request(gateway.url).post('/participants').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ participant_code: 'x' }).expect(400);
    expect(bad.body.error.code).toBe('ERR_INVALID_REQUEST');
    // NUL (`%00`) in a path parameter or a search string is bad input (refused at the edge), never a database error.
    for (const path of ['/participants/%00', `/participants/${encodeURIComponent(provider.code)}%00`, '/participants?name=a%00b']) {
      const nul = await request(gateway.url).get(path).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(400);
      expect(nul.body.error.code).toBe('ERR_BAD_REQUEST');
    }
    await request(gateway.url).patch('/participants/a%00b').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ participant_name: 'x' }).expect(400);
    await request(gateway.url).post('/participants/a%00b/secret/rotate').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(400);
    const role = await request(gateway.url).patch(`/participants/${encodeURIComponent(provider.code)}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ roles: ['wizard'] }).expect(400);
    expect(role.body.error.code).toBe('ERR_INVALID_REQUEST');
  });

  it('publishes the HCX RS256 keys and rotates them (admin only), keeping earlier keys in the JWKS', async () => {
    const before = await request(gateway.url).get('/.well-known/jwks.json').expect(200);
    expect(before.body.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of before.body.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      expect(key.d).toBeUndefined();
    }
    const participantKey = await apiKeyOf(gateway.url, provider);
    const denied = await request(gateway.url).post('/admin/signing-keys/rotate').set('authorization', `Bearer ${participantKey}`).expect(403);
    expect(denied.body.error.code).toBe('ERR_ACCESS_DENIED');
    const rotated = await request(gateway.url).post('/admin/signing-keys/rotate').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    const after = await request(gateway.url).get('/.well-known/jwks.json').expect(200);
    const kids = after.body.keys.map((key: { kid: string }) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([rotated.body.kid, ...before.body.keys.map((key: { kid: string }) => key.kid)]));
  });
});
