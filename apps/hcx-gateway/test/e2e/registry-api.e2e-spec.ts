/**
 * The HCX participant registry API (openapi_hcx_registry.yml) under the protocol prefix, as a
 * participant system and the HCX admin use it: create (generated participant_code, no secret in the
 * answer), read and search with the document's filter operators, certificates at stable URLs, who
 * may update what, and soft delete that stops the participant's API keys on every replica.
 */
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import type { HcxGatewayConfig } from '../../src/config';
import { ADMIN_TOKEN, apiKeyOf, createParticipant, participantKeys, sharedParticipantKeys, startGateway, uniqueCode } from '../support/hcx-fixtures';
import type { TestParticipant } from '../support/hcx-fixtures';

describe('hcx-gateway HCX registry API', () => {
  let gateway: RunningService<HcxGatewayConfig>;
  let second: RunningService<HcxGatewayConfig>;
  let hcxAdmin: TestParticipant;
  let provider: TestParticipant;
  let hcxAdminKey: string;
  let providerKey: string;
  const marker = `Hospital-${Date.now()}`;

  beforeAll(async () => {
    [gateway, second] = await Promise.all([startGateway(), startGateway()]);
    hcxAdmin = await createParticipant(gateway.url, { role: 'HIE/HIO.HCX', code: uniqueCode('hcx-admin') });
    provider = await createParticipant(gateway.url, { role: 'provider' });
    [hcxAdminKey, providerKey] = await Promise.all([apiKeyOf(gateway.url, hcxAdmin), apiKeyOf(gateway.url, provider)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([gateway?.stop(), second?.stop()]);
  }, 30_000);

  const call = (method: 'get' | 'post', path: string, key: string, url = gateway.url) => request(url)[method](`/v0.8/participant${path}`).set('authorization', `Bearer ${key}`);
  const spec = (name: string, extra: Record<string, unknown> = {}) => ({
    participant_name: name,
    roles: ['payer'],
    primaryEmail: 'claims@payer.example',
    primaryMobile: '9899912323',
    endpoint_url: 'http://127.0.0.1:9/hcx',
    encryption_cert: sharedParticipantKeys().certificatePem,
    signing_cert_path: sharedParticipantKeys().certificatePem,
    scheme_code: 'default',
    payment_details: { ifsc_code: `BANK${Date.now()}` },
    additionalEmail: ['backup@payer.example'],
    ...extra,
  });

  it('creates a participant as the HCX admin (generated participant_code, no secret in the answer); a provider may not', async () => {
    const created = await call('post', '/create', hcxAdminKey).send(spec(`${marker} Insurance`)).expect(200);
    expect(Object.keys(created.body)).toEqual(['participant_code']);
    expect(created.body.participant_code).toMatch(/^[0-9a-f]{10}@hcx-test-instance$/);
    const byOperator = await call('post', '/create', ADMIN_TOKEN).send(spec(`${marker} Second`, { roles: ['provider'], status: ['Active'] })).expect(200);
    expect(byOperator.body.participant_code).toEqual(expect.any(String));
    const denied = await call('post', '/create', providerKey).send(spec('nope')).expect(403);
    expect(denied.body.error.code).toBe('ERR_ACCESS_DENIED');
    const missing = await call('post', '/create', hcxAdminKey).send({ participant_name: 'x' }).expect(400);
    expect(missing.body.error.code).toBe('ERR_INVALID_REQUEST');
    const url = await call('post', '/create', hcxAdminKey).send(spec('x', { encryption_cert: 'https://evil.example/cert.pem' })).expect(400);
    expect(url.body.error.code).toBe('ERR_INVALID_CERTIFICATE');
  });

  it('reads a participant with certificates as URLs the gateway serves (PEM, ETag), contacts only for itself or the HCX admin', async () => {
    const keys = participantKeys('registry-read');
    const created = await call('post', '/create', hcxAdminKey).send(spec(`${marker} Read`, { encryption_cert: keys.certificatePem })).expect(200);
    const code = created.body.participant_code as string;
    const byProvider = await call('get', `/read/${encodeURIComponent(code)}`, providerKey).expect(200);
    expect(byProvider.body).toMatchObject({ participant_code: code, participant_name: `${marker} Read`, roles: ['payor'], status: ['Created'], endpoint_url: 'http://127.0.0.1:9/hcx', scheme_code: 'default' });
    expect(byProvider.body.primaryEmail).toBeUndefined();
    expect(byProvider.body.payment_details).toBeUndefined();
    expect(byProvider.body.encryption_cert).toBe(`${gateway.url}/certificates/${encodeURIComponent(code)}/encryption_cert.pem`);
    const pem = await request(byProvider.body.encryption_cert as string).get('').expect(200);
    expect(pem.headers['content-type']).toMatch(/application\/x-pem-file/);
    expect(pem.text.replace(/\r/g, '').trim()).toBe(keys.certificatePem.replace(/\r/g, '').trim());
    await request(byProvider.body.encryption_cert as string).get('').set('if-none-match', pem.headers.etag).expect(304);
    const byAdmin = await call('get', `/read/${encodeURIComponent(code)}`, hcxAdminKey).expect(200);
    expect(byAdmin.body).toMatchObject({ primaryEmail: 'claims@payer.example', primaryMobile: '9899912323', additionalEmail: ['backup@payer.example'] });
    expect(JSON.stringify(byAdmin.body)).not.toMatch(/secret/i);
    const nul = await call('get', '/read/%00', providerKey).expect(400);
    expect(nul.body.error.code).toBe('ERR_BAD_REQUEST');
    await request(gateway.url).get('/certificates/%00/encryption_cert.pem').expect(400);
    await call('get', '/read/nobody@nowhere', providerKey).expect(404);
  });

  it('searches with the document\'s filters (eq, or, contains, startsWith, neq, nested, status), limit and offset', async () => {
    const names = ['Alpha', 'Beta', 'Gamma'].map((n) => `${marker} Search ${n}`);
    const codes: string[] = [];
    for (const name of names) codes.push((await call('post', '/create', hcxAdminKey).send(spec(name, { payment_details: { ifsc_code: `IFSC-${name}` } })).expect(200)).body.participant_code);
    const search = (body: unknown) => call('post', '/search', providerKey).send(body as object).expect(200);
    const all = await search({ filters: { participant_name: { contains: `${marker} search` }, roles: { eq: 'payer' } } });
    expect(all.body.timestamp).toMatch(/^\d{13}$/);
    expect(all.body.participants.map((p: { participant_code: string }) => p.participant_code).sort()).toEqual([...codes].sort());
    const paged = await search({ filters: { participant_name: { startsWith: `${marker} Search` } }, limit: 2, offset: 2 });
    expect(paged.body.participants).toHaveLength(1);
    const or = await search({ filters: { participant_code: { or: [codes[0], codes[2]] } } });
    expect(or.body.participants).toHaveLength(2);
    const nested = await search({ filters: { 'payment_details.ifsc_code': { eq: `IFSC-${names[1]}` } } });
    expect(nested.body.participants.map((p: { participant_code: string }) => p.participant_code)).toEqual([codes[1]]);
    const notBeta = await search({ filters: { participant_name: { contains: `${marker} Search`, notEndsWith: 'Beta' }, status: { eq: 'Created' } } });
    expect(notBeta.body.participants).toHaveLength(2);
    const symbol = await search({ filters: { participant_code: { '=': codes[0] }, roles: { '!=': 'provider' } } });
    expect(symbol.body.participants).toHaveLength(1);
    for (const bad of [{ filters: { secret_ciphertext: { eq: 'x' } } }, { filters: { roles: { near: 'x' } } }, { filters: { roles: { range: 'x' } } }, { limit: -1 }]) {
      const refused = await call('post', '/search', providerKey).send(bad).expect(400);
      expect(refused.body.error.code).toBe('ERR_INVALID_REQUEST');
    }
    const nul = await call('post', '/search', providerKey).send({ filters: { participant_name: { eq: 'a\u0000b' } } }).expect(400);
    expect(nul.body.error.code).toBe('ERR_BAD_REQUEST');
  });

  it('lets a participant update only its own endpoint and certificates; the HCX admin anything', async () => {
    const self = await call('post', '/update', providerKey).send({ participant_code: provider.code, endpoint_url: 'http://127.0.0.1:10/hcx' }).expect(200);
    expect(self.body).toEqual({ timestamp: expect.stringMatching(/^\d{13}$/), participant_code: provider.code });
    const fresh = participantKeys('registry-update');
    await call('post', '/update', providerKey).send({ participant_code: provider.code, encryption_cert: fresh.certificatePem }).expect(200);
    const read = await call('get', `/read/${encodeURIComponent(provider.code)}`, providerKey).expect(200);
    expect(read.body.endpoint_url).toBe('http://127.0.0.1:10/hcx');
    // Round trip: the certificate URLs from a read mean "unchanged".
    await call('post', '/update', providerKey).send({ participant_code: provider.code, encryption_cert: read.body.encryption_cert, signing_cert_path: read.body.signing_cert_path }).expect(200);
    const pem = await request(read.body.encryption_cert as string).get('').expect(200);
    expect(pem.text.trim()).toBe(fresh.certificatePem.replace(/\r/g, '').trim());
    const name = await call('post', '/update', providerKey).send({ participant_code: provider.code, participant_name: 'Renamed' }).expect(403);
    expect(name.body.error.code).toBe('ERR_ACCESS_DENIED');
    const other = await call('post', '/update', providerKey).send({ participant_code: hcxAdmin.code, endpoint_url: 'http://127.0.0.1:11/hcx' }).expect(403);
    expect(other.body.error.code).toBe('ERR_ACCESS_DENIED');
    await call('post', '/update', hcxAdminKey).send({ participant_code: provider.code, participant_name: 'Renamed by HCX', status: ['Active'] }).expect(200);
    const weak = await call('post', '/update', hcxAdminKey).send({ participant_code: provider.code, encryption_cert: participantKeys('weak', 1024).certificatePem }).expect(400);
    expect(weak.body.error.code).toBe('ERR_INVALID_CERTIFICATE');
    const unknown = await call('post', '/update', hcxAdminKey).send({ participant_code: 'nobody@nowhere', participant_name: 'x' }).expect(404);
    expect(unknown.body.error.code).toBe('ERR_PARTICIPANT_NOT_FOUND');
  });

  it('soft-deletes (HCX admin only): status InActive, and its API key stops working on every replica', async () => {
    const victim = await createParticipant(gateway.url, { role: 'provider' });
    const victimKey = await apiKeyOf(gateway.url, victim);
    await call('get', `/read/${encodeURIComponent(victim.code)}`, victimKey, second.url).expect(200);
    const denied = await call('post', '/delete', providerKey).send({ participant_code: victim.code }).expect(403);
    expect(denied.body.error.code).toBe('ERR_ACCESS_DENIED');
    await call('post', '/delete', hcxAdminKey).send({ participant_code: victim.code }).expect(200);
    const read = await call('get', `/read/${encodeURIComponent(victim.code)}`, hcxAdminKey).expect(200);
    expect(read.body.status).toEqual(['InActive']);
    await call('get', `/read/${encodeURIComponent(victim.code)}`, victimKey, gateway.url).expect(401);
    await eventually(async () => {
      const answer = await call('get', `/read/${encodeURIComponent(victim.code)}`, victimKey, second.url);
      expect(answer.status).toBe(401);
    }, { timeoutMs: 5_000 });
    const inactive = await call('post', '/search', hcxAdminKey).send({ filters: { participant_code: { eq: victim.code }, status: { eq: 'InActive' } } }).expect(200);
    expect(inactive.body.participants).toHaveLength(1);
  });
});
