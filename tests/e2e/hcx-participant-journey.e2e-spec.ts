/**
 * A participant system's journey through hcx-gateway using only the HCX documents' paths, as the
 * community SDKs do: registry search (filters), the recipient's encryption certificate fetched from
 * the `encryption_cert` URL, payloads encrypted with node-jose (like the SDKs) and with jose, the
 * forwarded call received at the payor's endpoint (HCX RS256 token checked with @npi/auth-guards),
 * and the payor's on_check answers: a JWE and a plain-JSON ProtocolResponse error. Then the
 * notification APIs: subscribe to a payor's topic (the payor approves with on_subscribe), the payor's
 * signed notify delivered to the provider's endpoint, and the gateway's own participant-status
 * notification (signed with the key in the gateway's JWKS).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, createLocalJWKSet, importX509 } from 'jose';
import type { JSONWebKeySet } from 'jose';
import nodeJose from 'node-jose';
import request from 'supertest';
import { createHcxTokenVerifier } from '@npi/auth-guards';
import type { HcxTokenClaims } from '@npi/auth-guards';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import type { HcxGatewayConfig } from '../../apps/hcx-gateway/src/config';
import { ADMIN_TOKEN, deliveredSecret, hcxHeaders, participantKeys, startGateway } from '../../apps/hcx-gateway/test/support/hcx-fixtures';
import type { ParticipantKeys } from '../../apps/hcx-gateway/test/support/hcx-fixtures';

jest.setTimeout(120_000);

interface Received {
  path: string;
  body: Record<string, unknown>;
  claims: HcxTokenClaims;
}

/** A participant system: any framework; here node:http with the verifier from @npi/auth-guards. */
async function participantSystem(jwksUrl: string): Promise<{ server: http.Server; url: string; inbox: Received[]; refused: number[] }> {
  const verify = createHcxTokenVerifier({ hcxInstanceId: 'hcx-test-instance', jwksUrl });
  const inbox: Received[] = [];
  const refused: number[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      verify(req.headers.authorization).then(
        (claims) => {
          inbox.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown>, claims });
          res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
        },
        () => {
          refused.push(Date.now());
          res.writeHead(401).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, inbox, refused };
}

function arrival<T>(probe: () => T | undefined): Promise<T> {
  return eventually(
    () => {
      const value = probe();
      if (value === undefined) throw new Error('not yet');
      return value;
    },
    { timeoutMs: 80_000 },
  );
}

describe('participant journey on the HCX documents\' paths', () => {
  let gateway: RunningService<HcxGatewayConfig>;
  let providerSystem: Awaited<ReturnType<typeof participantSystem>>;
  let payorSystem: Awaited<ReturnType<typeof participantSystem>>;
  const providerKeys: ParticipantKeys = participantKeys('journey-provider');
  const payorKeys: ParticipantKeys = participantKeys('journey-payor');
  let providerCode: string;
  let payorCode: string;
  let providerKey: string;
  let payorKey: string;
  const payorName = `Journey Insurer ${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    gateway = await startGateway({ HCX_DISPATCHER_ENABLED: 'true', HCX_DISPATCH_TIMEOUT_MS: '2000', HCX_DISPATCH_RETRIES: '2', HCX_DISPATCH_BACKOFF_MS: '50' });
    providerSystem = await participantSystem(`${gateway.url}/.well-known/jwks.json`);
    payorSystem = await participantSystem(`${gateway.url}/.well-known/jwks.json`);
    // Onboarding by the HCX admin through the registry API; the secrets arrive by the notifier.
    const create = async (name: string, roles: string[], endpoint: string, keys: ParticipantKeys) => {
      const created = await request(gateway.url)
        .post('/v0.8/participant/create')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ participant_name: name, roles, primaryEmail: 'ops@example.test', endpoint_url: endpoint, encryption_cert: keys.certificatePem, signing_cert_path: keys.certificatePem, status: ['Active'] })
        .expect(200);
      return created.body.participant_code as string;
    };
    providerCode = await create('Journey Hospital', ['provider'], providerSystem.url, providerKeys);
    payorCode = await create(payorName, ['payer'], payorSystem.url, payorKeys);
    const token = async (code: string) =>
      (await request(gateway.url).post('/token/generate').send({ client_id: code, client_secret: await deliveredSecret(code) }).expect(200)).body.access_token as string;
    [providerKey, payorKey] = await Promise.all([token(providerCode), token(payorCode)]);
  }, 180_000);
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([providerSystem, payorSystem].map((system) => system && new Promise<void>((resolve) => system.server.close(() => resolve()))));
  }, 60_000);

  async function payorCertificate(): Promise<string> {
    const found = await request(gateway.url)
      .post('/v0.8/participant/search')
      .set('authorization', `Bearer ${providerKey}`)
      .send({ filters: { participant_name: { eq: payorName }, roles: { eq: 'payer' } }, limit: 1, offset: 0 })
      .expect(200);
    expect(found.body.participants).toHaveLength(1);
    expect(found.body.participants[0].participant_code).toBe(payorCode);
    const pem = await request(found.body.participants[0].encryption_cert as string).get('').expect(200);
    return pem.text;
  }

  it('encrypts with node-jose (as the community SDKs do) for the certificate from the registry URL; the payor receives and decrypts it', async () => {
    const pem = await payorCertificate();
    const headers = hcxHeaders(providerCode, payorCode);
    const bundle = { resourceType: 'Bundle', id: randomUUID(), type: 'collection' };
    const key = await nodeJose.JWK.asKey(pem, 'pem');
    const payload = (await nodeJose.JWE.createEncrypt({ format: 'compact', fields: { alg: 'RSA-OAEP', enc: 'A256GCM', ...headers } }, key)
      .update(JSON.stringify(bundle))
      .final()) as unknown as string;
    const sent = await request(gateway.url).post('/v0.8/coverageeligibility/check').set('authorization', `Bearer ${providerKey}`).send({ payload }).expect(202);
    expect(sent.body).toEqual({ timestamp: expect.stringMatching(/^\d{13}$/), api_call_id: headers['x-hcx-api_call_id'], correlation_id: headers['x-hcx-correlation_id'] });
    const delivered = await arrival(() => payorSystem.inbox.find((m) => m.body.payload === payload));
    expect(delivered.path).toBe('/coverageeligibility/check');
    expect(delivered.claims).toMatchObject({ iss: 'hcx-test-instance', sub: 'hcx-test-instance' });
    const opened = await compactDecrypt(delivered.body.payload as string, payorKeys.privateKey);
    expect(JSON.parse(new TextDecoder().decode(opened.plaintext))).toEqual(bundle);
    expect(opened.protectedHeader['x-hcx-sender_code']).toBe(providerCode);

    // The payor answers on_check with a JWE for the provider's certificate (from the registry too).
    const providerRead = await request(gateway.url).get(`/v0.8/participant/read/${encodeURIComponent(providerCode)}`).set('authorization', `Bearer ${payorKey}`).expect(200);
    const providerPem = (await request(providerRead.body.encryption_cert as string).get('').expect(200)).text;
    const reply = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ resourceType: 'Bundle', id: randomUUID() })))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', ...hcxHeaders(payorCode, providerCode, { 'x-hcx-correlation_id': headers['x-hcx-correlation_id'], 'x-hcx-status': 'response.complete' }) })
      .encrypt(await importX509(providerPem, 'RSA-OAEP'));
    await request(gateway.url).post('/v0.8/coverageeligibility/on_check').set('authorization', `Bearer ${payorKey}`).send({ payload: reply }).expect(202);
    const answered = await arrival(() => providerSystem.inbox.find((m) => m.body.payload === reply));
    expect(answered.path).toBe('/coverageeligibility/on_check');
    await compactDecrypt(answered.body.payload as string, providerKeys.privateKey);
  });

  it('encrypts with jose; the payor answers with a plain-JSON ProtocolResponse error, routed to the provider', async () => {
    const pem = await payorCertificate();
    const headers = hcxHeaders(providerCode, payorCode);
    const payload = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ resourceType: 'Bundle', id: randomUUID() })))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', ...headers })
      .encrypt(await importX509(pem, 'RSA-OAEP'));
    await request(gateway.url).post('/v0.8/preauth/submit').set('authorization', `Bearer ${providerKey}`).send({ payload }).expect(202);
    const delivered = await arrival(() => payorSystem.inbox.find((m) => m.body.payload === payload));
    await compactDecrypt(delivered.body.payload as string, payorKeys.privateKey);

    const error = hcxHeaders(payorCode, providerCode, {
      'x-hcx-correlation_id': headers['x-hcx-correlation_id'],
      'x-hcx-status': 'response.error',
      'x-hcx-error_details': { code: 'ERR_DOMAIN_PROCESSING', message: 'policy inactive', trace: 'the member\'s policy lapsed' },
    });
    await request(gateway.url).post('/v0.8/preauth/on_submit').set('authorization', `Bearer ${payorKey}`).send(error).expect(202);
    const answered = await arrival(() => providerSystem.inbox.find((m) => m.body['x-hcx-api_call_id'] === error['x-hcx-api_call_id']));
    expect(answered.path).toBe('/preauth/on_submit');
    expect(answered.body).toEqual(error);
    expect(providerSystem.refused).toEqual([]);
    expect(payorSystem.refused).toEqual([]);
  });

  it('subscribes to notification topics on the document\'s paths and receives the notifications at its endpoint', async () => {
    const post = (path: string, key: string, body: object) => request(gateway.url).post(`/v0.8${path}`).set('authorization', `Bearer ${key}`).send(body);
    const topics = (await post('/notification/list', providerKey, {}).expect(200)).body.notifications as { topic_code: string }[];
    const downtime = topics.find((topic) => topic.topic_code.startsWith('notif-payer-downtime@'))?.topic_code as string;
    const statusChange = topics.find((topic) => topic.topic_code.startsWith('notif-participant-status-change@'))?.topic_code as string;

    // A payor's topic: the request is forwarded to the payor, who approves; the provider is told.
    const subscribed = await post('/notification/subscribe', providerKey, { topic_code: downtime, sender_list: [payorCode] }).expect(202);
    const subscriptionId = subscribed.body.subscription_id as string;
    expect(subscribed.body).toMatchObject({ timestamp: expect.stringMatching(/^\d{13}$/), status: -1 });
    const asked = await arrival(() => payorSystem.inbox.find((m) => m.path === '/notification/subscribe' && m.body.subscription_id === subscriptionId));
    expect(asked.body).toMatchObject({ topic_code: downtime, subscriber_code: providerCode });
    expect(asked.claims.aud).toBe(payorCode);
    await post('/notification/on_subscribe', payorKey, { subscription_id: subscriptionId, status: 1 }).expect(200);
    const told = await arrival(() => providerSystem.inbox.find((m) => m.path === '/notification/on_subscribe' && m.body.subscription_id === subscriptionId));
    expect(told.body).toMatchObject({ status: 1, sender_code: payorCode });

    // The payor's notify: a JWS signed with its signing certificate's key, delivered as sent.
    const correlationId = randomUUID();
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ topic_code: downtime, message: 'Claims system down 02:00-04:00' })))
      .setProtectedHeader({ alg: 'RS256', 'x-hcx-notification_headers': { sender_code: payorCode, timestamp: String(Date.now()), recipient_type: 'participant_role', recipients: ['provider'], correlation_id: correlationId } })
      .sign(payorKeys.privateKey);
    const notified = await post('/notification/notify', payorKey, { payload: jws }).expect(200);
    expect(notified.body).toEqual({ timestamp: expect.stringMatching(/^\d{13}$/), api_call_id: expect.any(String), correlation_id: correlationId, deliveries: 1 });
    const received = await arrival(() => providerSystem.inbox.find((m) => m.path === '/notification/notify' && m.body.payload === jws));
    expect(received.claims.aud).toBe(providerCode);
    const payorRead = await request(gateway.url).get(`/v0.8/participant/read/${encodeURIComponent(payorCode)}`).set('authorization', `Bearer ${providerKey}`).expect(200);
    const signingPem = (await request(payorRead.body.signing_cert_path as string).get('').expect(200)).text;
    const verified = await compactVerify(received.body.payload as string, await importX509(signingPem, 'RS256'));
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual({ topic_code: downtime, message: 'Claims system down 02:00-04:00' });

    // A gateway topic: active at once (200); a participant's status change reaches the provider, signed by the gateway.
    const gatewaySubscription = await post('/notification/subscribe', providerKey, { topic_code: statusChange, sender_list: ['hcx-test-instance'] }).expect(200);
    expect(gatewaySubscription.body.status).toBe(1);
    const leaving = await request(gateway.url)
      .post('/v0.8/participant/create')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ participant_name: 'Leaving Clinic', roles: ['provider'], primaryEmail: 'ops@example.test', endpoint_url: 'http://127.0.0.1:9/hcx', encryption_cert: providerKeys.certificatePem, status: ['Active'] })
      .expect(200);
    const leavingCode = leaving.body.participant_code as string;
    await request(gateway.url).post('/v0.8/participant/delete').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ participant_code: leavingCode }).expect(200);
    const jwks = createLocalJWKSet((await request(gateway.url).get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet);
    const notice = await arrival(() =>
      providerSystem.inbox.find((m) => m.path === '/notification/notify' && String(m.body.payload).split('.').length === 3 && Buffer.from(String(m.body.payload).split('.')[1], 'base64url').toString().includes(leavingCode)),
    );
    const opened = await compactVerify(notice.body.payload as string, jwks);
    expect(JSON.parse(new TextDecoder().decode(opened.payload))).toEqual({ topic_code: statusChange, message: `Leaving Clinic (${leavingCode}) is now InActive` });
    expect(opened.protectedHeader['x-hcx-notification_headers']).toMatchObject({ sender_code: 'hcx-test-instance', recipient_type: 'participant_code' });

    const mine = await post('/notification/subscription/list', providerKey, { filters: {}, limit: 10, offset: 0 }).expect(200);
    expect(mine.body.subscriptions.map((s: { topic_code: string; status: number }) => [s.topic_code, s.status]).sort()).toEqual([
      [downtime, 1],
      [statusChange, 1],
    ].sort());
    expect(providerSystem.refused).toEqual([]);
  });
});
