/**
 * HCX protocol APIs through HTTP: 202 on a valid request, one test per gateway error code, the
 * replay guard across two gateway instances at once, and the audit search (no payloads).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../../src/config';
import { ADMIN_TOKEN, apiKeyOf, createParticipant, hcxHeaders, jwePayload, startGateway } from '../support/hcx-fixtures';
import type { TestParticipant } from '../support/hcx-fixtures';

describe('hcx-gateway protocol APIs', () => {
  let gateway: RunningService<HcxGatewayConfig>;
  let second: RunningService<HcxGatewayConfig>;
  let provider: TestParticipant;
  let payor: TestParticipant;
  let providerKey: string;
  let payorKey: string;

  beforeAll(async () => {
    [gateway, second] = await Promise.all([startGateway(), startGateway()]);
    provider = await createParticipant(gateway.url, { role: 'provider' });
    payor = await createParticipant(gateway.url, { role: 'payor' });
    providerKey = await apiKeyOf(gateway.url, provider);
    payorKey = await apiKeyOf(gateway.url, payor);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([gateway?.stop(), second?.stop()]);
  }, 30_000);

  const send = (path: string, body: unknown, key = providerKey, url = gateway.url) =>
    request(url).post(`/v0.8${path}`).set('authorization', `Bearer ${key}`).send(body as object);
  const checkWith = async (headers: Record<string, unknown>): Promise<request.Response> =>
    send('/coverageeligibility/check', { payload: await jwePayload(payor.keys.publicKey, headers) });
  const accepted = async (headers: Record<string, unknown>): Promise<request.Response> => {
    const response = await checkWith(headers);
    expect({ status: response.status, body: response.body as unknown }).toEqual({ status: 202, body: expect.anything() });
    return response;
  };
  /** A JWE-shaped body with any protected header (jose refuses to make RSA1_5; the gateway never decrypts). */
  const fakeJwe = (header: Record<string, unknown>) =>
    [Buffer.from(JSON.stringify(header)).toString('base64url'), 'a'.repeat(342), 'b'.repeat(16), 'c'.repeat(40), 'd'.repeat(22)].join('.');
  const expectError = async (response: Promise<request.Response> | request.Response, status: number, code: string) => {
    const answer = await response;
    expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status, code });
    // HCX ErrorResponse: every error carries these four fields.
    expect(answer.body).toEqual({
      timestamp: expect.stringMatching(/^\d{13}$/),
      api_call_id: expect.any(String),
      correlation_id: expect.any(String),
      error: { code, message: expect.any(String), trace: expect.any(String) },
    });
    return answer;
  };

  it('accepts a valid coverage eligibility check with 202 {timestamp, api_call_id, correlation_id}', async () => {
    const headers = hcxHeaders(provider.code, payor.code);
    const response = await accepted(headers);
    expect(response.body).toEqual({ timestamp: expect.stringMatching(/^\d{13}$/), api_call_id: headers['x-hcx-api_call_id'], correlation_id: headers['x-hcx-correlation_id'] });
  });

  it('accepts ISO 8601 timestamps and an on_check answer from the payor', async () => {
    await accepted(hcxHeaders(provider.code, payor.code, { 'x-hcx-timestamp': new Date().toISOString() }));
    const reply = await jwePayload(provider.keys.publicKey, hcxHeaders(payor.code, provider.code, { 'x-hcx-status': 'response.complete' }));
    await send('/coverageeligibility/on_check', { payload: reply }, payorKey).expect(202);
  });

  describe('one test per error code', () => {
    it('ERR_ACCESS_DENIED (401): no API key', async () => {
      await expectError(request(gateway.url).post('/v0.8/coverageeligibility/check').send({ payload: 'x' }), 401, 'ERR_ACCESS_DENIED');
    });
    it('ERR_ACCESS_DENIED (403): x-hcx-sender_code is not the API key\'s participant', async () => {
      const other = await createParticipant(gateway.url, { role: 'provider' });
      await expectError(checkWith(hcxHeaders(other.code, payor.code)), 403, 'ERR_ACCESS_DENIED');
    });
    it('ERR_INVALID_PAYLOAD (400): body without a JWE', async () => {
      await expectError(send('/coverageeligibility/check', { payload: 'a.b.c' }), 400, 'ERR_INVALID_PAYLOAD');
      await expectError(send('/coverageeligibility/check', { something: 'else' }), 400, 'ERR_INVALID_PAYLOAD');
    });
    it('ERR_MANDATORY_HEADER_MISSING (400): no x-hcx-api_call_id; on_check without x-hcx-status', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-api_call_id': undefined })), 400, 'ERR_MANDATORY_HEADER_MISSING');
      const reply = await jwePayload(provider.keys.publicKey, hcxHeaders(payor.code, provider.code));
      await expectError(send('/coverageeligibility/on_check', { payload: reply }, payorKey), 400, 'ERR_MANDATORY_HEADER_MISSING');
    });
    it('ERR_INVALID_ENCRYPTION (400): JWE with a key-wrapping algorithm HCX does not use', async () => {
      await expectError(send('/coverageeligibility/check', { payload: fakeJwe({ alg: 'RSA1_5', enc: 'A256GCM', ...hcxHeaders(provider.code, payor.code) }) }), 400, 'ERR_INVALID_ENCRYPTION');
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { enc: 'A128CBC-HS256' })), 400, 'ERR_INVALID_ENCRYPTION');
    });
    it('error bodies echo the request\'s api_call_id and correlation_id (HCX ErrorResponse)', async () => {
      const headers = hcxHeaders(provider.code, payor.code, { 'x-hcx-timestamp': 'yesterday' });
      const answer = await expectError(checkWith(headers), 400, 'ERR_INVALID_TIMESTAMP');
      expect(answer.body).toMatchObject({ api_call_id: headers['x-hcx-api_call_id'], correlation_id: headers['x-hcx-correlation_id'] });
    });
    it('ERR_INVALID_API_CALL_ID (400): not a UUID', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-api_call_id': 'abc' })), 400, 'ERR_INVALID_API_CALL_ID');
    });
    it('ERR_INVALID_CORRELATION_ID (400): not a UUID', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-correlation_id': 42 })), 400, 'ERR_INVALID_CORRELATION_ID');
    });
    it('ERR_INVALID_WORKFLOW_ID (400): not a UUID', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-workflow_id': 'wf-1' })), 400, 'ERR_INVALID_WORKFLOW_ID');
    });
    it('ERR_INVALID_TIMESTAMP (400): too old, in the future, or not a timestamp', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-timestamp': Date.now() - 3_600_000 })), 400, 'ERR_INVALID_TIMESTAMP');
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-timestamp': Date.now() + 3_600_000 })), 400, 'ERR_INVALID_TIMESTAMP');
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-timestamp': 'yesterday' })), 400, 'ERR_INVALID_TIMESTAMP');
    });
    it('ERR_INVALID_STATUS (400): a response status on a request API', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-status': 'response.complete' })), 400, 'ERR_INVALID_STATUS');
    });
    it('ERR_INVALID_DEBUG_FLAG (400): unknown debug flag', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, payor.code, { 'x-hcx-debug_flag': 'Verbose' })), 400, 'ERR_INVALID_DEBUG_FLAG');
    });
    it('ERR_INVALID_ERROR_DETAILS (400): error details without response.error or malformed', async () => {
      const reply = await jwePayload(provider.keys.publicKey, hcxHeaders(payor.code, provider.code, { 'x-hcx-status': 'response.complete', 'x-hcx-error_details': { code: 'ERR_X', message: 'm' } }));
      await expectError(send('/coverageeligibility/on_check', { payload: reply }, payorKey), 400, 'ERR_INVALID_ERROR_DETAILS');
      const malformed = await jwePayload(provider.keys.publicKey, hcxHeaders(payor.code, provider.code, { 'x-hcx-status': 'response.error', 'x-hcx-error_details': 'oops' }));
      await expectError(send('/coverageeligibility/on_check', { payload: malformed }, payorKey), 400, 'ERR_INVALID_ERROR_DETAILS');
    });
    it('ERR_INVALID_REDIRECT_TO (400): redirect without response.redirect, or to an unknown participant', async () => {
      const noStatus = await jwePayload(provider.keys.publicKey, hcxHeaders(payor.code, provider.code, { 'x-hcx-status': 'response.complete', 'x-hcx-redirect_to': payor.code }));
      await expectError(send('/coverageeligibility/on_check', { payload: noStatus }, payorKey), 400, 'ERR_INVALID_REDIRECT_TO');
      const unknown = await jwePayload(provider.keys.publicKey, hcxHeaders(payor.code, provider.code, { 'x-hcx-status': 'response.redirect', 'x-hcx-redirect_to': `nobody-${randomUUID()}` }));
      await expectError(send('/coverageeligibility/on_check', { payload: unknown }, payorKey), 400, 'ERR_INVALID_REDIRECT_TO');
    });
    it('ERR_INVALID_SENDER (400): a payor may not send a coverage eligibility check', async () => {
      await expectError(send('/coverageeligibility/check', { payload: await jwePayload(provider.keys.publicKey, hcxHeaders(payor.code, provider.code)) }, payorKey), 400, 'ERR_INVALID_SENDER');
    });
    it('ERR_INVALID_RECIPIENT (400): unknown, not Active, or wrong role', async () => {
      await expectError(checkWith(hcxHeaders(provider.code, `nobody-${randomUUID()}`)), 400, 'ERR_INVALID_RECIPIENT');
      const created = await createParticipant(gateway.url, { role: 'payor', status: 'Created' });
      await expectError(checkWith(hcxHeaders(provider.code, created.code)), 400, 'ERR_INVALID_RECIPIENT');
      const otherProvider = await createParticipant(gateway.url, { role: 'provider' });
      await expectError(checkWith(hcxHeaders(provider.code, otherProvider.code)), 400, 'ERR_INVALID_RECIPIENT');
    });
    it('ERR_INVALID_RECIPIENT after the recipient is blocked (status change reaches the cache)', async () => {
      const blocked = await createParticipant(gateway.url, { role: 'payor' });
      await accepted(hcxHeaders(provider.code, blocked.code));
      await request(gateway.url).post(`/participants/${encodeURIComponent(blocked.code)}/status`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ status: 'Blocked' }).expect(200);
      await expectError(checkWith(hcxHeaders(provider.code, blocked.code)), 400, 'ERR_INVALID_RECIPIENT');
    });
    it('ERR_INVALID_REQUEST (404): unknown protocol API', async () => {
      await expectError(send('/coverageeligibility/approve', { payload: 'x' }), 404, 'ERR_INVALID_REQUEST');
    });
  });

  describe('on_* as a plain-JSON ProtocolResponse (the oneOf alternative to the JWE)', () => {
    const plain = (extra: Record<string, unknown>) => hcxHeaders(payor.code, provider.code, extra);
    it('accepts response.error with x-hcx-error_details and records it for routing', async () => {
      const body = plain({ 'x-hcx-status': 'response.error', 'x-hcx-error_details': { code: 'ERR_DOMAIN_PROCESSING', message: 'policy not found', trace: 'no policy for the member id' } });
      const answer = await send('/coverageeligibility/on_check', body, payorKey).expect(202);
      expect(answer.body).toEqual({ timestamp: expect.stringMatching(/^\d{13}$/), api_call_id: body['x-hcx-api_call_id'], correlation_id: body['x-hcx-correlation_id'] });
      const rows = await gateway.deps.prisma.$queryRawUnsafe<{ hcx_status: string; api_path: string }[]>('SELECT hcx_status, api_path FROM hcx.api_call WHERE sender_code = $1 AND api_call_id = $2', payor.code, body['x-hcx-api_call_id']);
      expect(rows).toEqual([{ hcx_status: 'response.error', api_path: '/coverageeligibility/on_check' }]);
    });
    it('accepts response.redirect with x-hcx-redirect_to', async () => {
      const tpa = await createParticipant(gateway.url, { role: 'agency.tpa' });
      await send('/coverageeligibility/on_check', plain({ 'x-hcx-status': 'response.redirect', 'x-hcx-redirect_to': tpa.code }), payorKey).expect(202);
    });
    it('refuses it on a request API (ERR_INVALID_PAYLOAD), with another status (ERR_INVALID_STATUS), without error details (ERR_INVALID_ERROR_DETAILS), with other keys (ERR_INVALID_PAYLOAD)', async () => {
      await expectError(send('/coverageeligibility/check', hcxHeaders(provider.code, payor.code)), 400, 'ERR_INVALID_PAYLOAD');
      await expectError(send('/coverageeligibility/on_check', plain({ 'x-hcx-status': 'response.complete' }), payorKey), 400, 'ERR_INVALID_STATUS');
      await expectError(send('/coverageeligibility/on_check', plain({ 'x-hcx-status': 'response.error' }), payorKey), 400, 'ERR_INVALID_ERROR_DETAILS');
      await expectError(send('/coverageeligibility/on_check', { ...plain({ 'x-hcx-status': 'response.error', 'x-hcx-error_details': { code: 'ERR_X', message: 'm' } }), note: 'x' }, payorKey), 400, 'ERR_INVALID_PAYLOAD');
      await expectError(send('/coverageeligibility/on_check', plain({ 'x-hcx-status': 'response.error', 'x-hcx-error_details': { code: 'ERR_X', message: 'm' }, 'x-hcx-api_call_id': undefined }), payorKey), 400, 'ERR_MANDATORY_HEADER_MISSING');
    });
  });

  describe('/hcx/status answered from the gateway\'s own records', () => {
    const status = async (from: TestParticipant, to: TestParticipant, correlationId: string, key: string): Promise<request.Response> =>
      send('/hcx/status', { payload: await jwePayload(to.keys.publicKey, hcxHeaders(from.code, to.code, { 'x-hcx-correlation_id': correlationId })) }, key);
    it('request.queued while undelivered (answered, not forwarded); request.dispatched once delivered (forwarded)', async () => {
      const headers = hcxHeaders(provider.code, payor.code);
      await accepted(headers);
      const correlationId = headers['x-hcx-correlation_id'] as string;
      const queued = await status(provider, payor, correlationId, providerKey);
      expect(queued.status).toBe(202);
      expect(queued.body).toEqual({
        timestamp: expect.stringMatching(/^\d{13}$/),
        api_call_id: expect.any(String),
        correlation_id: correlationId,
        result: { sender_code: provider.code, recipient_code: payor.code, entity_type: 'coverageeligibility', protocol_status: 'request.queued' },
      });
      const count = async () => (await gateway.deps.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM hcx.api_call WHERE correlation_id = $1 AND api_path = '/hcx/status'`, correlationId))[0].n;
      expect(await count()).toBe(0);
      await gateway.deps.prisma.$executeRawUnsafe(`UPDATE hcx.api_call SET delivery_status = 'delivered', delivered_at = now() WHERE correlation_id = $1`, correlationId);
      const dispatched = await status(payor, provider, correlationId, payorKey);
      expect(dispatched.status).toBe(202);
      expect(dispatched.body.result).toEqual({ sender_code: provider.code, recipient_code: payor.code, entity_type: 'coverageeligibility', protocol_status: 'request.dispatched' });
      expect(await count()).toBe(1);
    });
    it('ERR_INVALID_CORRELATION_ID for a correlation id the caller has no request under; ERR_INVALID_RECIPIENT for a third party', async () => {
      await expectError(await status(provider, payor, randomUUID(), providerKey), 400, 'ERR_INVALID_CORRELATION_ID');
      const headers = hcxHeaders(provider.code, payor.code);
      await accepted(headers);
      const otherPayor = await createParticipant(gateway.url, { role: 'payor' });
      await expectError(await status(provider, otherPayor, headers['x-hcx-correlation_id'] as string, providerKey), 400, 'ERR_INVALID_RECIPIENT');
      const stranger = await createParticipant(gateway.url, { role: 'provider' });
      await expectError(await status(stranger, payor, headers['x-hcx-correlation_id'] as string, await apiKeyOf(gateway.url, stranger)), 400, 'ERR_INVALID_CORRELATION_ID');
    });
  });

  it('notification/list: the master topic list, including the gateway\'s own topics, with filters, limit and offset', async () => {
    const all = await request(gateway.url).post('/v0.8/notification/list').set('authorization', `Bearer ${providerKey}`).send({}).expect(200);
    expect(all.body.timestamp).toMatch(/^\d{13}$/);
    expect(all.body.count).toBe(4);
    expect(all.body.notifications.map((t: { topic_code: string }) => t.topic_code)).toEqual(
      expect.arrayContaining(['notif-participant-status-change@hcx-test-instance', 'notif-certificate-expiry@hcx-test-instance', 'notif-secret-rotation@hcx-test-instance']),
    );
    expect(all.body.notifications[0]).toEqual({ topic_code: expect.any(String), title: expect.any(String), description: expect.any(String), sender: expect.any(Array), recipient: expect.any(Array), category: expect.any(String), priority: expect.any(Number), template: expect.any(String) });
    const participant = await request(gateway.url).post('/v0.8/notification/list').set('authorization', `Bearer ${providerKey}`).send({ filters: { category: 'participant' }, limit: 1, offset: 1 }).expect(200);
    expect({ count: participant.body.count, page: participant.body.notifications.length }).toEqual({ count: 2, page: 1 });
    await expectError(request(gateway.url).post('/v0.8/notification/list').set('authorization', `Bearer ${providerKey}`).send({ filters: { colour: 'red' } }), 400, 'ERR_INVALID_REQUEST');
    await expectError(request(gateway.url).post('/v0.8/notification/list').send({}), 401, 'ERR_ACCESS_DENIED');
  });

  it('refuses a replayed api_call_id (ERR_INVALID_API_CALL_ID) even when both tries reach different instances at once', async () => {
    const headers = hcxHeaders(provider.code, payor.code);
    const payload = await jwePayload(payor.keys.publicKey, headers);
    const answers = await Promise.all([
      send('/coverageeligibility/check', { payload }, providerKey, gateway.url),
      send('/coverageeligibility/check', { payload }, providerKey, second.url),
      send('/coverageeligibility/check', { payload }, providerKey, gateway.url),
      send('/coverageeligibility/check', { payload }, providerKey, second.url),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([202, 400, 400, 400]);
    for (const refused of answers.filter((answer) => answer.status === 400)) expect(refused.body.error.code).toBe('ERR_INVALID_API_CALL_ID');
    const rows = await gateway.deps.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM hcx.api_call WHERE sender_code = $1 AND api_call_id = $2', provider.code, headers['x-hcx-api_call_id']);
    expect(rows[0].n).toBe(1);
  });

  it('audit search lists a participant\'s own requests by correlation id with headers and statuses, never payloads', async () => {
    const headers = hcxHeaders(provider.code, payor.code);
    const payload = await jwePayload(payor.keys.publicKey, headers);
    await send('/coverageeligibility/check', { payload }).expect(202);
    const mine = await request(gateway.url).post('/v0.8/audit/search').set('authorization', `Bearer ${providerKey}`).send({ correlation_id: headers['x-hcx-correlation_id'] }).expect(200);
    expect(mine.body.count).toBe(1);
    expect(mine.body.entries[0]).toMatchObject({ api_call_id: headers['x-hcx-api_call_id'], api: '/coverageeligibility/check', sender_code: provider.code, delivery_status: 'accepted' });
    expect(mine.body.entries[0].headers['x-hcx-workflow_id']).toBe(headers['x-hcx-workflow_id']);
    expect(JSON.stringify(mine.body)).not.toContain(payload.split('.')[4]);
    const byWorkflow = await request(gateway.url).post('/v0.8/audit/search').set('authorization', `Bearer ${payorKey}`).send({ workflow_id: headers['x-hcx-workflow_id'] }).expect(200);
    expect(byWorkflow.body.count).toBe(1);
    const stranger = await createParticipant(gateway.url, { role: 'provider' });
    const strangerKey = await apiKeyOf(gateway.url, stranger);
    const none = await request(gateway.url).post('/v0.8/audit/search').set('authorization', `Bearer ${strangerKey}`).send({ correlation_id: headers['x-hcx-correlation_id'] }).expect(200);
    expect(none.body.count).toBe(0);
  });
});
