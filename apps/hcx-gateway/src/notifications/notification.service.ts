import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { outboxRow } from '@npi/database';
import { NOTIFICATION_REPOSITORY, SUBSCRIPTION_STATUS } from '@npi/hcx/data-access';
import type { Delivery, NotificationRepository, ParticipantRecord, SubscriptionRecord, SubscriptionStatusCode } from '@npi/hcx/data-access';
import { HcxRequestRoutedV1 } from '@npi/kafka-contracts';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { NOTIFICATION_PARTICIPANTS, NOTIFICATION_SIGNER, PRODUCER } from '../tokens';
import { HcxError, forbidden } from '../errors';
import { messageFromTemplate, parseNotificationJws, verifyNotificationSignature } from './notification-jws';
import type { NotificationHeaders } from './notification-jws';
import { notificationTopics } from './notification-topics';
import type { NotificationTopic } from './notification-topics';

/** The role the HCX documents give the gateway itself; a topic with it as sender is the gateway's own. */
export const HCX_SENDER_ROLE = 'HIE/HIO.HCX';

/** Who calls: a participant (its API key) or the operator (admin token), who acts for the HCX instance. */
export type NotificationActor = { kind: 'participant'; participantCode: string; roles: readonly string[] } | { kind: 'admin' };

/** The participants the rules look at (the registry; read through, not cached: certificates and roles matter here). */
export interface NotificationParticipants {
  find(participantCode: string): Promise<Pick<ParticipantRecord, 'participantCode' | 'name' | 'roles' | 'status' | 'signingCert' | 'encryptionCert'> | null>;
}

/** Signs the gateway's own notifications with the HCX instance's RS256 key (published in its JWKS). */
export interface NotificationSigner {
  signJws(protectedHeader: Record<string, unknown>, payload: Uint8Array): Promise<string>;
}

interface NotificationServiceOptions {
  instanceId: string;
  producer: string;
  maxAgeSeconds: number;
  clockSkewSeconds: number;
}

export interface SubscriptionView {
  subscription_id: string;
  topic_code: string;
  subscriber_code: string;
  sender_list: string[];
  status: SubscriptionStatusCode;
}

export interface SubscribeAnswer {
  timestamp: string;
  subscription_id: string;
  status: SubscriptionStatusCode;
  subscription_list: { subscription_id: string; sender_code: string; status: SubscriptionStatusCode }[];
}

/** A subscription request's outcome: `pending` when a participant sender still has to approve (its on_subscribe follows). */
export interface SubscribeOutcome {
  answer: SubscribeAnswer;
  pending: boolean;
}

export interface NotifyAnswer {
  timestamp: string;
  api_call_id: string;
  correlation_id: string;
  deliveries: number;
}

const viewOf = (record: SubscriptionRecord): SubscriptionView => ({
  subscription_id: record.subscriptionId,
  topic_code: record.topicCode,
  subscriber_code: record.subscriberCode,
  sender_list: [record.senderCode],
  status: record.status,
});

/** A UUID derived from a name (stable ids for the gateway's own notifications, so a redelivered trigger fans out once). */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * HCX notifications: the master topic list, subscriptions (subscribe, unsubscribe, the sender's
 * on_subscribe, list, update) and notify with fan-out. Every message the gateway sends here (a
 * forwarded subscription request, a subscription status notice, one delivery per subscriber of a
 * notification) is an `hcx.api_call` row plus an `hcx.request.routed.v1` outbox row written in the
 * same transaction, so the dispatcher delivers it like a protocol request: RS256 token with
 * aud = recipient, retries, dead letter.
 */
@Injectable()
export class NotificationService {
  readonly topics: readonly NotificationTopic[];
  private readonly options: NotificationServiceOptions;

  constructor(
    @Inject(NOTIFICATION_REPOSITORY) private readonly repository: NotificationRepository,
    @Inject(NOTIFICATION_PARTICIPANTS) private readonly participants: NotificationParticipants,
    @Inject(NOTIFICATION_SIGNER) private readonly signer: NotificationSigner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: Pick<HcxGatewayConfig, 'HCX_INSTANCE_ID' | 'HCX_TIMESTAMP_MAX_AGE_SECONDS' | 'HCX_CLOCK_SKEW_SECONDS'>,
  ) {
    this.options = { instanceId: config.HCX_INSTANCE_ID, producer: PRODUCER, maxAgeSeconds: config.HCX_TIMESTAMP_MAX_AGE_SECONDS, clockSkewSeconds: config.HCX_CLOCK_SKEW_SECONDS };
    this.topics = notificationTopics(this.options.instanceId);
  }

  /** The gateway's own topic of a name (`notif-certificate-expiry`). */
  topicNamed(name: string): NotificationTopic {
    return this.topics.find((topic) => topic.topic_code === `${name}@${this.options.instanceId}`) as NotificationTopic;
  }

  isGatewayTopic(topic: NotificationTopic): boolean {
    return topic.sender.includes(HCX_SENDER_ROLE);
  }

  private topic(topicCode: string, { enabledOnly }: { enabledOnly: boolean }): NotificationTopic {
    const topic = this.topics.find((candidate) => candidate.topic_code === topicCode);
    if (!topic) throw new HcxError('ERR_INVALID_TOPIC_CODE', 'topic_code is not in the notification master list');
    if (enabledOnly && topic.priority < 0) throw new HcxError('ERR_INVALID_TOPIC_CODE', 'the topic is disabled');
    return topic;
  }

  private timestamp(): string {
    return String(this.clock.now().getTime());
  }

  async subscribe(actor: NotificationActor, request: { topic_code: string; sender_list: string[] }): Promise<SubscribeOutcome> {
    const subscriber = this.participantActor(actor, 'subscribe');
    const topic = this.topic(request.topic_code, { enabledOnly: true });
    if (!topic.recipient.some((role) => subscriber.roles.includes(role))) {
      throw forbidden(`roles ${subscriber.roles.join(', ')} may not subscribe to ${topic.topic_code}`);
    }
    const senders = await this.checkSenders(topic, request.sender_list, subscriber.participantCode);
    const results: SubscribeAnswer['subscription_list'] = [];
    let pending = false;
    for (const sender of senders) {
      const gateway = sender === this.options.instanceId;
      const record = await this.repository.upsertSubscription(
        { topicCode: topic.topic_code, subscriberCode: subscriber.participantCode, senderCode: sender },
        randomUUID(),
        (previous) => (gateway || previous?.status === SUBSCRIPTION_STATUS.active ? SUBSCRIPTION_STATUS.active : SUBSCRIPTION_STATUS.pending),
        (record, previous) =>
          // A participant sender approves with /notification/on_subscribe; it is asked again only when the subscription was not pending already.
          record.status === SUBSCRIPTION_STATUS.pending && previous?.status !== SUBSCRIPTION_STATUS.pending
            ? [this.forward(subscriber.participantCode, sender, '/notification/subscribe', { topic_code: topic.topic_code, subscription_id: record.subscriptionId, subscriber_code: record.subscriberCode, sender_list: [sender] })]
            : [],
      );
      if (record.status === SUBSCRIPTION_STATUS.pending) pending = true;
      results.push({ subscription_id: record.subscriptionId, sender_code: sender, status: record.status });
    }
    return { answer: { timestamp: this.timestamp(), subscription_id: results[0].subscription_id, status: results[0].status, subscription_list: results }, pending };
  }

  async unsubscribe(actor: NotificationActor, request: { topic_code: string; sender_list: string[] }): Promise<SubscribeAnswer> {
    const subscriber = this.participantActor(actor, 'unsubscribe');
    const topic = this.topic(request.topic_code, { enabledOnly: false });
    const { rows } = await this.repository.listSubscriptions({ participantCode: subscriber.participantCode, topicCode: topic.topic_code, limit: 1000, offset: 0 });
    const mine = rows.filter((row) => request.sender_list.includes(row.senderCode));
    const missing = request.sender_list.filter((sender) => !mine.some((row) => row.senderCode === sender));
    if (missing.length > 0) throw new HcxError('ERR_INVALID_SUBSCRIPTION_ID', `no subscription to ${topic.topic_code} from ${missing.join(', ')}`);
    await this.repository.setStatus(
      mine.map((row) => row.subscriptionId),
      SUBSCRIPTION_STATUS.inactive,
      () => [],
    );
    const results = mine.map((row) => ({ subscription_id: row.subscriptionId, sender_code: row.senderCode, status: SUBSCRIPTION_STATUS.inactive as SubscriptionStatusCode }));
    return { timestamp: this.timestamp(), subscription_id: results[0].subscription_id, status: SUBSCRIPTION_STATUS.inactive, subscription_list: results };
  }

  /** The sender's answer to a forwarded subscription request: 1 (approve) or -2 (reject); the subscriber is told. */
  async onSubscribe(actor: NotificationActor, request: { subscription_id: string; status: number }): Promise<{ timestamp: string; subscription_id: string; status: SubscriptionStatusCode }> {
    const sender = this.participantActor(actor, 'answer a subscription request');
    const record = await this.repository.findSubscription(request.subscription_id);
    if (!record || record.senderCode !== sender.participantCode) throw new HcxError('ERR_INVALID_SUBSCRIPTION_ID', 'no subscription request addressed to you has this subscription_id');
    if (request.status !== SUBSCRIPTION_STATUS.active && request.status !== SUBSCRIPTION_STATUS.rejected) {
      throw new HcxError('ERR_INVALID_STATUS', 'status must be 1 (approve) or -2 (reject)');
    }
    const status = request.status as SubscriptionStatusCode;
    if (record.status === status) return { timestamp: this.timestamp(), subscription_id: record.subscriptionId, status };
    const changed = await this.repository.setStatus([record.subscriptionId], status, (row) => [this.statusNotice(row)], [SUBSCRIPTION_STATUS.pending]);
    if (changed.length === 0) throw new HcxError('ERR_INVALID_STATUS', 'the subscription is not waiting for your answer; use /notification/subscription/update');
    return { timestamp: this.timestamp(), subscription_id: record.subscriptionId, status };
  }

  async listSubscriptions(
    actor: NotificationActor,
    request: { filters: { topic_code?: string; status?: number; sender_code?: string; subscription_id?: string }; limit: number; offset: number },
  ): Promise<{ timestamp: string; subscriptions: SubscriptionView[]; count: number }> {
    const { filters } = request;
    const asSender = actor.kind === 'participant' && filters.sender_code === actor.participantCode;
    const { rows, count } = await this.repository.listSubscriptions({
      participantCode: actor.kind === 'participant' ? actor.participantCode : undefined,
      asSender,
      topicCode: filters.topic_code,
      senderCode: asSender ? undefined : filters.sender_code,
      subscriptionIds: filters.subscription_id === undefined ? undefined : [filters.subscription_id],
      status: filters.status as SubscriptionStatusCode | undefined,
      limit: request.limit,
      offset: request.offset,
    });
    return { timestamp: this.timestamp(), subscriptions: rows.map(viewOf), count };
  }

  /**
   * The sender (a participant, or the operator for the gateway's own topics) sets the status of
   * its subscribers' subscriptions: 1 (active), 0 (inactive) or -2 (rejected). Each subscriber
   * whose subscription changed gets a status notice at its /notification/on_subscribe.
   */
  async updateSubscriptions(
    actor: NotificationActor,
    request: { topic_code: string; subscriber_list: string[]; status: number },
  ): Promise<{ timestamp: string; api_call_id: string; correlation_id: string; subscriptions: SubscriptionView[] }> {
    const topic = this.topic(request.topic_code, { enabledOnly: false });
    const senderCode = actor.kind === 'admin' ? this.options.instanceId : actor.participantCode;
    if (actor.kind === 'admin' && !this.isGatewayTopic(topic)) throw forbidden('the operator updates subscriptions of the gateway topics only');
    if (![SUBSCRIPTION_STATUS.active, SUBSCRIPTION_STATUS.inactive, SUBSCRIPTION_STATUS.rejected].includes(request.status as never)) {
      throw new HcxError('ERR_INVALID_STATUS', 'status must be 1 (active), 0 (inactive) or -2 (rejected)');
    }
    const { rows } = await this.repository.listSubscriptions({ topicCode: topic.topic_code, senderCode, subscriberCodes: request.subscriber_list, limit: 1000, offset: 0 });
    const missing = request.subscriber_list.filter((code) => !rows.some((row) => row.subscriberCode === code));
    if (missing.length > 0) throw new HcxError('ERR_INVALID_SUBSCRIPTION_ID', `no subscription to ${topic.topic_code} from you for ${missing.join(', ')}`);
    const changeId = randomUUID();
    const changed = await this.repository.setStatus(
      rows.map((row) => row.subscriptionId),
      request.status as SubscriptionStatusCode,
      (row) => [this.statusNotice(row, changeId)],
    );
    const views = rows.map((row) => viewOf(changed.find((change) => change.subscriptionId === row.subscriptionId) ?? row));
    return { timestamp: this.timestamp(), api_call_id: changeId, correlation_id: changeId, subscriptions: views };
  }

  /**
   * A participant's notify: `{payload: <JWS>}` signed (RS256) with its registered signing
   * certificate; delivered as received to each Active subscriber of the topic from this sender,
   * narrowed by recipient_type/recipients.
   */
  async notify(actor: NotificationActor, body: { payload: string }): Promise<NotifyAnswer> {
    const sender = this.participantActor(actor, 'send notifications');
    const parsed = parseNotificationJws(body.payload, { now: this.clock.now(), maxAgeSeconds: this.options.maxAgeSeconds, maxFutureSeconds: this.options.clockSkewSeconds });
    if (parsed.headers.sender_code !== sender.participantCode) throw forbidden('sender_code is not the participant of the API key');
    const participant = await this.participants.find(sender.participantCode);
    if (!participant) throw new HcxError('ERR_INVALID_SENDER', 'the sender is not registered');
    await verifyNotificationSignature(parsed.jws, participant.signingCert);
    const topic = this.topic(parsed.data.topic_code, { enabledOnly: true });
    if (this.isGatewayTopic(topic)) throw forbidden(`${topic.topic_code} is sent only by the HCX gateway`);
    if (!topic.sender.some((role) => sender.roles.includes(role))) throw new HcxError('ERR_INVALID_SENDER', `roles ${sender.roles.join(', ')} may not send ${topic.topic_code}`);
    if (topic.category === 'use_case' && parsed.headers.recipient_type !== 'subscription') {
      throw new HcxError('ERR_INVALID_RECIPIENT', 'use_case notifications name their subscriptions (recipient_type subscription)');
    }
    const correlationId = parsed.headers.correlation_id ?? randomUUID();
    const targets = await this.recipientsOf(topic, sender.participantCode, parsed.headers);
    const id = randomUUID();
    const outcome = await this.repository.recordNotification(
      {
        id,
        senderCode: sender.participantCode,
        correlationId,
        topicCode: topic.topic_code,
        recipientType: parsed.headers.recipient_type ?? null,
        recipients: parsed.headers.recipients ?? [],
        headers: { ...parsed.headers, correlation_id: correlationId },
        deliveries: targets.length,
      },
      targets.map((target) => this.delivery(sender.participantCode, target, correlationId, parsed.jws, topic.topic_code)),
    );
    if (outcome === 'duplicate') throw new HcxError('ERR_INVALID_CORRELATION_ID', 'this sender already sent a notification with this correlation_id');
    return { timestamp: this.timestamp(), api_call_id: id, correlation_id: correlationId, deliveries: targets.length };
  }

  /**
   * The gateway's own notification of one of its topics, signed with the HCX instance key. `only`
   * narrows the subscribers (a participant-category notice goes to the participant concerned).
   * `triggerId` makes it idempotent: the same trigger fans out once, on any replica.
   */
  async notifyFromGateway(topicName: string, options: { triggerId: string; values: Record<string, string>; only?: string[] }): Promise<number> {
    const topic = this.topicNamed(topicName);
    if (topic.priority < 0) return 0;
    const subscribers = (await this.repository.activeSubscriptions(topic.topic_code, this.options.instanceId)).filter((row) => options.only === undefined || options.only.includes(row.subscriberCode));
    const active: string[] = [];
    for (const row of subscribers) {
      const participant = await this.participants.find(row.subscriberCode);
      if (participant?.status === 'Active') active.push(row.subscriberCode);
    }
    const correlationId = stableUuid(`${topic.topic_code}|${options.triggerId}`);
    const now = this.clock.now();
    const headers: NotificationHeaders = { sender_code: this.options.instanceId, timestamp: String(now.getTime()), recipient_type: 'participant_code', recipients: active, correlation_id: correlationId };
    const jws = await this.signer.signJws(
      { 'x-hcx-notification_headers': headers },
      new TextEncoder().encode(JSON.stringify({ topic_code: topic.topic_code, message: messageFromTemplate(topic.template, options.values) })),
    );
    const outcome = await this.repository.recordNotification(
      { id: randomUUID(), senderCode: this.options.instanceId, correlationId, topicCode: topic.topic_code, recipientType: 'participant_code', recipients: active, headers: { ...headers }, deliveries: active.length },
      active.map((code) => this.delivery(this.options.instanceId, { subscriberCode: code }, correlationId, jws, topic.topic_code)),
    );
    return outcome === 'recorded' ? active.length : 0;
  }

  private participantActor(actor: NotificationActor, what: string): { participantCode: string; roles: readonly string[] } {
    if (actor.kind !== 'participant') throw forbidden(`participant API key required to ${what}`);
    return actor;
  }

  /** Senders a subscriber may name: the HCX instance for the gateway's topics, else Active participants with a sender role of the topic. */
  private async checkSenders(topic: NotificationTopic, senderList: string[], subscriberCode: string): Promise<string[]> {
    const senders = [...new Set(senderList)];
    for (const code of senders) {
      if (this.isGatewayTopic(topic)) {
        if (code !== this.options.instanceId) throw new HcxError('ERR_INVALID_SENDER', `${topic.topic_code} is sent only by the HCX gateway (${this.options.instanceId})`);
        continue;
      }
      if (code === subscriberCode) throw new HcxError('ERR_INVALID_SENDER', 'a participant cannot subscribe to itself');
      const sender = await this.participants.find(code);
      if (!sender || sender.status !== 'Active') throw new HcxError('ERR_INVALID_SENDER', `${code} is not an active participant`);
      if (!topic.sender.some((role) => sender.roles.includes(role))) throw new HcxError('ERR_INVALID_SENDER', `${code} does not have a role that sends ${topic.topic_code}`);
    }
    return senders;
  }

  /** Active subscribers of (topic, sender), narrowed by the notification headers' recipients. */
  private async recipientsOf(topic: NotificationTopic, senderCode: string, headers: NotificationHeaders): Promise<{ subscriberCode: string }[]> {
    const subscriptions = await this.repository.activeSubscriptions(topic.topic_code, senderCode);
    const recipients = headers.recipients ?? [];
    const targets: { subscriberCode: string }[] = [];
    for (const row of subscriptions) {
      if (headers.recipient_type === 'subscription' && !recipients.includes(row.subscriptionId)) continue;
      if (headers.recipient_type === 'participant_code' && !recipients.includes(row.subscriberCode)) continue;
      const participant = await this.participants.find(row.subscriberCode);
      if (participant?.status !== 'Active') continue;
      if (headers.recipient_type === 'participant_role' && !participant.roles.some((role) => recipients.includes(role))) continue;
      targets.push({ subscriberCode: row.subscriberCode });
    }
    return targets;
  }

  /**
   * One notification delivery. The routed event's correlation id is the delivery's own id, not the
   * notification's: the dispatcher orders first tries per correlation id, and one slow subscriber
   * must not hold up the others. The audit row keeps the notification's correlation_id.
   */
  private delivery(senderCode: string, target: { subscriberCode: string }, correlationId: string, jws: string, topicCode: string): Delivery {
    const id = randomUUID();
    const now = this.clock.now();
    return {
      call: {
        id,
        senderCode,
        recipientCode: target.subscriberCode,
        apiCallId: id,
        correlationId,
        workflowId: null,
        apiPath: '/notification/notify',
        hcxStatus: null,
        headers: { topic_code: topicCode },
        acceptedAt: now,
      },
      event: outboxRow(
        HcxRequestRoutedV1,
        { requestId: id, apiPath: '/notification/notify', senderCode, recipientCode: target.subscriberCode, apiCallId: id, correlationId: id, payload: jws, acceptedAt: now.toISOString() },
        { producer: this.options.producer, key: id, correlationId },
      ),
    };
  }

  /** A plain-JSON message of the subscription workflow (forwarded request or status notice), delivered by the dispatcher. */
  private forward(senderCode: string, recipientCode: string, apiPath: string, body: Record<string, unknown>, correlationId: string = randomUUID()): Delivery {
    const id = randomUUID();
    const now = this.clock.now();
    const payload = JSON.stringify({ ...body, timestamp: String(now.getTime()) });
    return {
      call: { id, senderCode, recipientCode, apiCallId: id, correlationId, workflowId: null, apiPath, hcxStatus: null, headers: body, acceptedAt: now },
      event: outboxRow(
        HcxRequestRoutedV1,
        { requestId: id, apiPath, senderCode, recipientCode, apiCallId: id, correlationId: id, payload, format: 'protocol_response', acceptedAt: now.toISOString() },
        { producer: this.options.producer, key: id, correlationId },
      ),
    };
  }

  /** The subscriber learns its subscription's new status at /notification/on_subscribe. */
  private statusNotice(row: SubscriptionRecord, correlationId?: string): Delivery {
    return this.forward(row.senderCode, row.subscriberCode, '/notification/on_subscribe', { subscription_id: row.subscriptionId, topic_code: row.topicCode, sender_code: row.senderCode, status: row.status }, correlationId);
  }
}
