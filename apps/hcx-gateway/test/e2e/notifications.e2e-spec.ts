/**
 * Notification APIs through HTTP: HCX ErrorResponse bodies with the documented codes, the
 * operators' notification audit, and certificate key usage checked on upload (registry API and the
 * operators' PEM path).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import type { HcxGatewayConfig } from '../../src/config';
import { ADMIN_TOKEN, apiKeyOf, createParticipant, startGateway } from '../support/hcx-fixtures';
import type { TestParticipant } from '../support/hcx-fixtures';
import { certificateWith } from '../support/test-certificates';

jest.setTimeout(120_000);

describe('hcx-gateway notification APIs (HTTP)', () => {
  let gateway: RunningService<HcxGatewayConfig>;
  let provider: TestParticipant;
  let payor: TestParticipant;
  let providerKey: string;
  let payorKey: string;
  const downtime = 'notif-payer-downtime@hcx-test-instance';

  beforeAll(async () => {
    gateway = await startGateway();
    [provider, payor] = await Promise.all([createParticipant(gateway.url, { role: 'provider' }), createParticipant(gateway.url, { role: 'payor' })]);
    [providerKey, payorKey] = await Promise.all([apiKeyOf(gateway.url, provider), apiKeyOf(gateway.url, payor)]);
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
  }, 30_000);

  const post = (path: string, key: string | undefined, body: unknown) => {
    const call = request(gateway.url).post(path);
    if (key) call.set('authorization', `Bearer ${key}`);
    return call.send(body as object);
  };
  const expectError = async (response: Promise<request.Response> | request.Response, status: number, code: string) => {
    const answer = await response;
    expect({ status: answer.status, body: answer.body as unknown }).toEqual({
      status,
      body: { timestamp: expect.stringMatching(/^\d{13}$/), api_call_id: expect.any(String), correlation_id: expect.any(String), error: { code, message: expect.any(String), trace: expect.any(String) } },
    });
  };

  it('answers bad requests with HCX ErrorResponse bodies and the documented codes', async () => {
    await expectError(post('/v0.8/notification/subscribe', undefined, { topic_code: downtime, sender_list: [payor.code] }), 401, 'ERR_ACCESS_DENIED');
    await expectError(post('/v0.8/notification/subscribe', ADMIN_TOKEN, { topic_code: downtime, sender_list: [payor.code] }), 403, 'ERR_ACCESS_DENIED');
    await expectError(post('/v0.8/notification/subscribe', providerKey, {}), 400, 'ERR_INVALID_REQUEST');
    await expectError(post('/v0.8/notification/subscribe', providerKey, { topic_code: downtime, sender_list: [] }), 400, 'ERR_INVALID_REQUEST');
    await expectError(post('/v0.8/notification/subscribe', providerKey, { topic_code: 'no-such-topic@x', sender_list: [payor.code] }), 400, 'ERR_INVALID_TOPIC_CODE');
    await expectError(post('/v0.8/notification/subscribe', providerKey, { topic_code: downtime, sender_list: [provider.code] }), 400, 'ERR_INVALID_SENDER');
    await expectError(post('/v0.8/notification/unsubscribe', providerKey, { topic_code: downtime, sender_list: ['nobody@hcx'] }), 404, 'ERR_INVALID_SUBSCRIPTION_ID');
    await expectError(post('/v0.8/notification/on_subscribe', payorKey, { subscription_id: randomUUID(), status: 1 }), 404, 'ERR_INVALID_SUBSCRIPTION_ID');
    await expectError(post('/v0.8/notification/subscription/update', payorKey, { topic_code: downtime, subscriber_list: [provider.code], status: '1' }), 400, 'ERR_INVALID_REQUEST');
    await expectError(post('/v0.8/notification/notify', payorKey, {}), 400, 'ERR_INVALID_PAYLOAD');
    await expectError(post('/v0.8/notification/notify', payorKey, { payload: 'a.b' }), 400, 'ERR_INVALID_PAYLOAD');
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify({ topic_code: downtime, message: 'm' })))
      .setProtectedHeader({ alg: 'RS256', 'x-hcx-notification_headers': { sender_code: payor.code, timestamp: String(Date.now()) } })
      .sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    await expectError(post('/v0.8/notification/notify', payorKey, { payload: forged }), 400, 'ERR_INVALID_SIGNATURE');
    // Paths outside the documents still end in the protocol's 404.
    await expectError(post('/v0.8/notification/nothing', providerKey, {}), 404, 'ERR_INVALID_REQUEST');
  });

  it('operators search the notification audit with each recipient\u2019s delivery state; participants may not', async () => {
    const subscribed = await post('/v0.8/notification/subscribe', providerKey, { topic_code: downtime, sender_list: [payor.code] }).expect(202);
    await post('/v0.8/notification/on_subscribe', payorKey, { subscription_id: subscribed.body.subscription_id, status: 1 }).expect(200);
    const correlationId = randomUUID();
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ topic_code: downtime, message: 'maintenance' })))
      .setProtectedHeader({ alg: 'RS256', 'x-hcx-notification_headers': { sender_code: payor.code, timestamp: String(Date.now()), correlation_id: correlationId } })
      .sign(payor.keys.privateKey);
    await post('/v0.8/notification/notify', payorKey, { payload: jws }).expect(200);
    await expectError(post('/v0.8/notification/notify', payorKey, { payload: jws }), 400, 'ERR_INVALID_CORRELATION_ID');
    const audit = await post('/admin/notifications/search', ADMIN_TOKEN, { correlation_id: correlationId }).expect(200);
    expect(audit.body).toEqual({
      count: 1,
      notifications: [
        {
          id: expect.any(String),
          topic_code: downtime,
          sender_code: payor.code,
          correlation_id: correlationId,
          recipient_type: null,
          recipients: [],
          created_at: expect.any(String),
          // This gateway runs without the dispatcher: accepted, waiting in Kafka.
          deliveries: [{ recipient_code: provider.code, delivery_status: 'accepted', attempts: 0, last_error: null, delivered_at: null }],
        },
      ],
    });
    expect(JSON.stringify(audit.body)).not.toContain(jws.split('.')[1]);
    await expectError(post('/admin/notifications/search', payorKey, {}), 403, 'ERR_ACCESS_DENIED');
  });

  it('checks certificate key usage on upload: registry API and the operators\u2019 PEM path', async () => {
    const encryptionOnly = certificateWith({ keyEncipherment: true });
    const signingOnly = certificateWith({ digitalSignature: true });
    const create = (encryption: string, signing: string) =>
      post('/v0.8/participant/create', ADMIN_TOKEN, { participant_name: 'Usage Clinic', roles: ['provider'], primaryEmail: 'ops@example.test', endpoint_url: 'http://127.0.0.1:9/hcx', encryption_cert: encryption, signing_cert_path: signing });
    await expectError(create(signingOnly, signingOnly), 400, 'ERR_INVALID_CERTIFICATE');
    await expectError(create(encryptionOnly, encryptionOnly), 400, 'ERR_INVALID_CERTIFICATE');
    const created = await create(encryptionOnly, signingOnly).expect(200);
    const code = created.body.participant_code as string;
    await expectError(post('/v0.8/participant/update', ADMIN_TOKEN, { participant_code: code, signing_cert_path: encryptionOnly }), 400, 'ERR_INVALID_CERTIFICATE');
    const patched = await request(gateway.url).patch(`/participants/${encodeURIComponent(code)}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ encryption_cert: signingOnly });
    expect({ status: patched.status, code: patched.body.error?.code }).toEqual({ status: 400, code: 'ERR_INVALID_CERTIFICATE' });
  });

  // Last: the rotation ends the provider's API key.
  it('a secret rotation becomes the gateway\u2019s own notice to the participant (hcx.participant.updated.v1 consumer), once', async () => {
    const rotation = 'notif-secret-rotation@hcx-test-instance';
    await post('/v0.8/notification/subscribe', providerKey, { topic_code: rotation, sender_list: ['hcx-test-instance'] }).expect(200);
    await post('/v0.8/notification/subscribe', payorKey, { topic_code: rotation, sender_list: ['hcx-test-instance'] }).expect(200);
    await post(`/participants/${encodeURIComponent(provider.code)}/secret/rotate`, ADMIN_TOKEN, {}).expect(200);
    const found = await eventually(
      async () => {
        const audit = await post('/admin/notifications/search', ADMIN_TOKEN, { topic_code: rotation, sender_code: 'hcx-test-instance' }).expect(200);
        const mine = (audit.body.notifications as { recipients: string[]; deliveries: { recipient_code: string }[] }[]).filter((n) => n.recipients.includes(provider.code));
        expect(mine).toHaveLength(1);
        return mine[0];
      },
      { timeoutMs: 30_000 },
    );
    expect(found.deliveries.map((d) => d.recipient_code)).toEqual([provider.code]);
  });
});
