import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import type { ParticipantRecord } from '@npi/hcx/data-access';
import { ManualClock } from '@npi/service-runtime';
import { participantKeys } from '../../test/support/hcx-fixtures';
import type { ParticipantKeys } from '../../test/support/hcx-fixtures';
import { HcxError } from '../errors';
import { hcxAnswerOf } from '../hcx-errors.filter';
import { InMemoryNotificationRepository } from './in-memory-notification.repository';
import { NotificationService, stableUuid } from './notification.service';
import type { NotificationActor, NotificationParticipants } from './notification.service';

const INSTANCE = 'hcx-unit';
const STATUS_TOPIC = `notif-participant-status-change@${INSTANCE}`;
const ROTATION_TOPIC = `notif-secret-rotation@${INSTANCE}`;
const DOWNTIME_TOPIC = `notif-payer-downtime@${INSTANCE}`;

type Participant = Pick<ParticipantRecord, 'participantCode' | 'name' | 'roles' | 'status' | 'signingCert' | 'encryptionCert'>;

describe('NotificationService', () => {
  let keys: ParticipantKeys;
  const gatewayKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  beforeAll(() => {
    keys = participantKeys('notify-unit');
  });

  function setup() {
    const clock = new ManualClock(new Date('2026-12-06T10:00:00Z'));
    const repository = new InMemoryNotificationRepository();
    const registry = new Map<string, Participant>();
    const add = (code: string, roles: string[], status: ParticipantRecord['status'] = 'Active') =>
      registry.set(code, { participantCode: code, name: code, roles, status, signingCert: keys.certificatePem, encryptionCert: keys.certificatePem });
    add('prov-1@hcx', ['provider']);
    add('prov-2@hcx', ['provider']);
    add('prov-3@hcx', ['provider']);
    add('payor-1@hcx', ['payor']);
    add('regulator@hcx', ['agency.regulator']);
    const participants: NotificationParticipants = { find: async (code) => registry.get(code) ?? null };
    const signer = { signJws: (header: Record<string, unknown>, payload: Uint8Array) => new CompactSign(payload).setProtectedHeader({ ...header, alg: 'RS256', kid: 'gw' }).sign(gatewayKey.privateKey) };
    const service = new NotificationService(repository, participants, signer, clock, { HCX_INSTANCE_ID: INSTANCE, HCX_TIMESTAMP_MAX_AGE_SECONDS: 600, HCX_CLOCK_SKEW_SECONDS: 30 });
    const actor = (code: string): NotificationActor => ({ kind: 'participant', participantCode: code, roles: registry.get(code)?.roles ?? [] });
    return { clock, repository, registry, service, actor };
  }

  async function jws(clock: ManualClock, headers: Record<string, unknown>, payload: Record<string, unknown>, privateKey = keys.privateKey, alg = 'RS256') {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg, 'x-hcx-notification_headers': { timestamp: String(clock.now().getTime()), ...headers } })
      .sign(privateKey);
  }

  const rejects = async (work: Promise<unknown>, code: string, status = 400) => {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HcxError);
    // As the gateway answers it (HcxErrorsFilter's table).
    expect(hcxAnswerOf(error as HcxError)).toEqual({ code, status });
  };

  describe('subscribe', () => {
    it('activates a subscription to a gateway topic at once (200, no forwarded request)', async () => {
      const { service, actor, repository } = setup();
      const { answer, pending } = await service.subscribe(actor('prov-1@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] });
      expect(pending).toBe(false);
      expect(answer).toEqual({ timestamp: expect.stringMatching(/^\d+$/), subscription_id: expect.any(String), status: 1, subscription_list: [{ subscription_id: answer.subscription_id, sender_code: INSTANCE, status: 1 }] });
      expect(repository.deliveries).toEqual([]);
      // Subscribing again is idempotent: the same subscription, still active.
      const { answer: again } = await service.subscribe(actor('prov-1@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] });
      expect(again.subscription_id).toBe(answer.subscription_id);
      expect(repository.subscriptions).toHaveLength(1);
    });

    it('a participant sender must approve: pending (202) and the request is forwarded to it once', async () => {
      const { service, actor, repository } = setup();
      const { answer, pending } = await service.subscribe(actor('prov-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] });
      expect({ status: answer.status, pending }).toEqual({ status: -1, pending: true });
      expect(repository.deliveries).toHaveLength(1);
      const [forwarded] = repository.deliveries;
      expect(forwarded.call).toMatchObject({ senderCode: 'prov-1@hcx', recipientCode: 'payor-1@hcx', apiPath: '/notification/subscribe' });
      const routed = (forwarded.event.payload as { data: { payload: string; format: string; apiPath: string } }).data;
      expect({ format: routed.format, apiPath: routed.apiPath }).toEqual({ format: 'protocol_response', apiPath: '/notification/subscribe' });
      expect(JSON.parse(routed.payload)).toMatchObject({ topic_code: DOWNTIME_TOPIC, subscription_id: answer.subscription_id, subscriber_code: 'prov-1@hcx' });
      await service.subscribe(actor('prov-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] });
      expect(repository.deliveries).toHaveLength(1);
    });

    it('refuses unknown topics, roles the topic does not address, and senders that cannot send it', async () => {
      const { service, actor } = setup();
      await rejects(service.subscribe(actor('prov-1@hcx'), { topic_code: 'nope@x', sender_list: [INSTANCE] }), 'ERR_INVALID_TOPIC_CODE');
      await rejects(service.subscribe(actor('payor-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] }), 'ERR_ACCESS_DENIED', 403);
      await rejects(service.subscribe(actor('prov-1@hcx'), { topic_code: STATUS_TOPIC, sender_list: ['payor-1@hcx'] }), 'ERR_INVALID_SENDER');
      await rejects(service.subscribe(actor('prov-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['prov-2@hcx'] }), 'ERR_INVALID_SENDER');
      await rejects(service.subscribe(actor('prov-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['unknown@hcx'] }), 'ERR_INVALID_SENDER');
      await rejects(service.subscribe({ kind: 'admin' }, { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] }), 'ERR_ACCESS_DENIED', 403);
    });
  });

  describe('on_subscribe, unsubscribe, list, update', () => {
    it('the sender approves; the subscriber is told at /notification/on_subscribe; only the addressed sender may answer', async () => {
      const { service, actor, repository } = setup();
      const { subscription_id } = (await service.subscribe(actor('prov-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] })).answer;
      await rejects(service.onSubscribe(actor('prov-2@hcx'), { subscription_id, status: 1 }), 'ERR_INVALID_SUBSCRIPTION_ID', 404);
      await rejects(service.onSubscribe(actor('payor-1@hcx'), { subscription_id, status: 7 }), 'ERR_INVALID_STATUS');
      expect(await service.onSubscribe(actor('payor-1@hcx'), { subscription_id, status: 1 })).toEqual({ timestamp: expect.any(String), subscription_id, status: 1 });
      const notice = repository.deliveries.at(-1);
      expect(notice?.call).toMatchObject({ senderCode: 'payor-1@hcx', recipientCode: 'prov-1@hcx', apiPath: '/notification/on_subscribe' });
      // Answered already: a later answer must go through subscription/update.
      await rejects(service.onSubscribe(actor('payor-1@hcx'), { subscription_id, status: -2 }), 'ERR_INVALID_STATUS');
    });

    it('unsubscribe sets status 0; list shows the subscriber its rows and the sender the rows addressed to it', async () => {
      const { service, actor } = setup();
      await service.subscribe(actor('prov-1@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] });
      await service.subscribe(actor('prov-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] });
      await service.subscribe(actor('prov-2@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] });
      const unsubscribed = await service.unsubscribe(actor('prov-1@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] });
      expect(unsubscribed.status).toBe(0);
      await rejects(service.unsubscribe(actor('prov-3@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] }), 'ERR_INVALID_SUBSCRIPTION_ID', 404);
      const mine = await service.listSubscriptions(actor('prov-1@hcx'), { filters: {}, limit: 10, offset: 0 });
      expect(mine.subscriptions.map((s) => [s.topic_code, s.status])).toEqual([
        [STATUS_TOPIC, 0],
        [DOWNTIME_TOPIC, -1],
      ]);
      const addressed = await service.listSubscriptions(actor('payor-1@hcx'), { filters: { sender_code: 'payor-1@hcx' }, limit: 10, offset: 0 });
      expect(addressed.subscriptions.map((s) => s.subscriber_code)).toEqual(['prov-1@hcx', 'prov-2@hcx']);
      const none = await service.listSubscriptions(actor('payor-1@hcx'), { filters: {}, limit: 10, offset: 0 });
      expect(none.count).toBe(0);
    });

    it('update: the sender sets its subscribers\u2019 status and each changed one is told; others may not', async () => {
      const { service, actor, repository } = setup();
      await service.subscribe(actor('prov-1@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] });
      await service.subscribe(actor('prov-2@hcx'), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] });
      const before = repository.deliveries.length;
      const answer = await service.updateSubscriptions(actor('payor-1@hcx'), { topic_code: DOWNTIME_TOPIC, subscriber_list: ['prov-1@hcx', 'prov-2@hcx'], status: 1 });
      expect(answer.subscriptions.map((s) => s.status)).toEqual([1, 1]);
      expect(repository.deliveries.slice(before).map((d) => [d.call.recipientCode, d.call.apiPath])).toEqual([
        ['prov-1@hcx', '/notification/on_subscribe'],
        ['prov-2@hcx', '/notification/on_subscribe'],
      ]);
      await rejects(service.updateSubscriptions(actor('prov-3@hcx'), { topic_code: DOWNTIME_TOPIC, subscriber_list: ['prov-1@hcx'], status: 0 }), 'ERR_INVALID_SUBSCRIPTION_ID', 404);
      await rejects(service.updateSubscriptions(actor('payor-1@hcx'), { topic_code: DOWNTIME_TOPIC, subscriber_list: ['prov-1@hcx'], status: -1 }), 'ERR_INVALID_STATUS');
      await rejects(service.updateSubscriptions({ kind: 'admin' }, { topic_code: DOWNTIME_TOPIC, subscriber_list: ['prov-1@hcx'], status: 0 }), 'ERR_ACCESS_DENIED', 403);
    });
  });

  describe('notify', () => {
    async function withSubscribers() {
      const context = setup();
      const { service, actor } = context;
      for (const code of ['prov-1@hcx', 'prov-2@hcx', 'prov-3@hcx']) {
        const { subscription_id } = (await service.subscribe(actor(code), { topic_code: DOWNTIME_TOPIC, sender_list: ['payor-1@hcx'] })).answer;
        if (code !== 'prov-3@hcx') await service.onSubscribe(actor('payor-1@hcx'), { subscription_id, status: 1 });
      }
      context.repository.deliveries.length = 0;
      return context;
    }

    it('fans out the JWS as received, one delivery per active subscriber, audited once', async () => {
      const { service, actor, repository, clock } = await withSubscribers();
      const correlation = randomUUID();
      const payload = await jws(clock, { sender_code: 'payor-1@hcx', correlation_id: correlation }, { topic_code: DOWNTIME_TOPIC, message: 'down 2-4' });
      const answer = await service.notify(actor('payor-1@hcx'), { payload });
      expect(answer).toEqual({ timestamp: expect.any(String), api_call_id: expect.any(String), correlation_id: correlation, deliveries: 2 });
      expect(repository.deliveries.map((d) => d.call.recipientCode).sort()).toEqual(['prov-1@hcx', 'prov-2@hcx']);
      for (const delivery of repository.deliveries) {
        const data = (delivery.event.payload as { data: Record<string, unknown> }).data;
        expect(data).toMatchObject({ apiPath: '/notification/notify', payload, senderCode: 'payor-1@hcx', recipientCode: delivery.call.recipientCode });
        expect(data.format).toBeUndefined();
        // Each delivery has its own ordering key: a slow subscriber holds up only itself.
        expect(data.correlationId).toBe(delivery.call.id);
        expect(delivery.call.correlationId).toBe(correlation);
      }
      expect(repository.notifications).toEqual([expect.objectContaining({ senderCode: 'payor-1@hcx', correlationId: correlation, topicCode: DOWNTIME_TOPIC, deliveries: 2 })]);
      await rejects(service.notify(actor('payor-1@hcx'), { payload }), 'ERR_INVALID_CORRELATION_ID');
    });

    it('narrows by recipient_type: participant_code, participant_role, subscription', async () => {
      const { service, actor, repository, clock } = await withSubscribers();
      const send = async (recipient_type: string, recipients: string[]) => {
        repository.deliveries.length = 0;
        await service.notify(actor('payor-1@hcx'), { payload: await jws(clock, { sender_code: 'payor-1@hcx', recipient_type, recipients }, { topic_code: DOWNTIME_TOPIC, message: 'm' }) });
        return repository.deliveries.map((d) => d.call.recipientCode).sort();
      };
      expect(await send('participant_code', ['prov-2@hcx', 'prov-3@hcx'])).toEqual(['prov-2@hcx']);
      expect(await send('participant_role', ['agency.tpa'])).toEqual([]);
      expect(await send('participant_role', ['provider'])).toEqual(['prov-1@hcx', 'prov-2@hcx']);
      const id = repository.subscriptions.find((s) => s.subscriberCode === 'prov-1@hcx')?.subscriptionId as string;
      expect(await send('subscription', [id])).toEqual(['prov-1@hcx']);
    });

    it('refuses a bad signature, another alg, a sender that is not the caller, gateway topics and roles that may not send', async () => {
      const { service, actor, clock } = await withSubscribers();
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await rejects(service.notify(actor('payor-1@hcx'), { payload: await jws(clock, { sender_code: 'payor-1@hcx' }, { topic_code: DOWNTIME_TOPIC, message: 'm' }, other.privateKey) }), 'ERR_INVALID_SIGNATURE');
      await rejects(service.notify(actor('payor-1@hcx'), { payload: await jws(clock, { sender_code: 'payor-1@hcx' }, { topic_code: DOWNTIME_TOPIC, message: 'm' }, keys.privateKey, 'PS256') }), 'ERR_INVALID_SIGNATURE');
      await rejects(service.notify(actor('payor-1@hcx'), { payload: await jws(clock, { sender_code: 'prov-1@hcx' }, { topic_code: DOWNTIME_TOPIC, message: 'm' }) }), 'ERR_ACCESS_DENIED', 403);
      await rejects(service.notify(actor('payor-1@hcx'), { payload: await jws(clock, { sender_code: 'payor-1@hcx' }, { topic_code: STATUS_TOPIC, message: 'm' }) }), 'ERR_ACCESS_DENIED', 403);
      await rejects(service.notify(actor('prov-1@hcx'), { payload: await jws(clock, { sender_code: 'prov-1@hcx' }, { topic_code: DOWNTIME_TOPIC, message: 'm' }) }), 'ERR_INVALID_SENDER');
      await rejects(service.notify(actor('payor-1@hcx'), { payload: 'not-a-jws' }), 'ERR_INVALID_PAYLOAD');
      await rejects(service.notify(actor('payor-1@hcx'), { payload: await jws(clock, { sender_code: 'payor-1@hcx', timestamp: String(clock.now().getTime() - 3_600_000) }, { topic_code: DOWNTIME_TOPIC, message: 'm' }) }), 'ERR_INVALID_TIMESTAMP');
      await rejects(service.notify(actor('payor-1@hcx'), { payload: await jws(clock, { sender_code: 'payor-1@hcx', recipient_type: 'everyone', recipients: ['x'] }, { topic_code: DOWNTIME_TOPIC, message: 'm' }) }), 'ERR_INVALID_RECIPIENT');
      const noHeaders = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'RS256' }).sign(keys.privateKey);
      await rejects(service.notify(actor('payor-1@hcx'), { payload: noHeaders }), 'ERR_MANDATORY_HEADER_MISSING');
    });
  });

  describe('the gateway\u2019s own notifications', () => {
    it('signs with the instance key, reaches the subscribed Active participants, once per trigger', async () => {
      const { service, actor, repository, registry } = setup();
      await service.subscribe(actor('prov-1@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] });
      await service.subscribe(actor('prov-2@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] });
      await service.subscribe(actor('prov-3@hcx'), { topic_code: STATUS_TOPIC, sender_list: [INSTANCE] });
      registry.set('prov-3@hcx', { ...(registry.get('prov-3@hcx') as Participant), status: 'Blocked' });
      const sent = await service.notifyFromGateway('notif-participant-status-change', { triggerId: 'event-1', values: { participant_name: 'Payor "One"', participant_code: 'payor-1@hcx', status: 'Inactive' } });
      expect(sent).toBe(2);
      expect(await service.notifyFromGateway('notif-participant-status-change', { triggerId: 'event-1', values: {} })).toBe(0);
      expect(repository.deliveries.map((d) => d.call.recipientCode).sort()).toEqual(['prov-1@hcx', 'prov-2@hcx']);
      const payload = (repository.deliveries[0].event.payload as { data: { payload: string } }).data.payload;
      const verified = await compactVerify(payload, gatewayKey.publicKey);
      expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual({ topic_code: STATUS_TOPIC, message: 'Payor "One" (payor-1@hcx) is now Inactive' });
      expect(decodeProtectedHeader(payload)).toMatchObject({ alg: 'RS256', 'x-hcx-notification_headers': { sender_code: INSTANCE, correlation_id: stableUuid(`${STATUS_TOPIC}|event-1`) } });
    });

    it('a participant-category notice goes only to the participant concerned', async () => {
      const { service, actor, repository } = setup();
      await service.subscribe(actor('prov-1@hcx'), { topic_code: ROTATION_TOPIC, sender_list: [INSTANCE] });
      await service.subscribe(actor('prov-2@hcx'), { topic_code: ROTATION_TOPIC, sender_list: [INSTANCE] });
      await service.notifyFromGateway('notif-secret-rotation', { triggerId: 'e', values: { timestamp: 'now' }, only: ['prov-2@hcx'] });
      expect(repository.deliveries.map((d) => d.call.recipientCode)).toEqual(['prov-2@hcx']);
    });
  });
});
