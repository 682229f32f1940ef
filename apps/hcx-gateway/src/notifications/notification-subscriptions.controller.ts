import { Body, Controller, HttpCode, Inject, Post, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ZodBodyPipe, createZodDto, describeIssues } from '@npi/api-contracts';
import type { Response } from 'express';
import { z } from 'zod';
import { CurrentPrincipal, HcxParticipant } from '@npi/auth-guards';
import type { HcxPrincipal } from '../api-keys/hcx-principal';
import { HcxError } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto, hcxBody } from '../hcx.contracts';
import { PROTOCOL_VERSION } from '../protocol/apis';
import { NotificationService } from './notification.service';
import type { NotificationActor } from './notification.service';

const code = z.string().min(1).max(256);
const status = z.number().int().describe('1 Active, 0 Inactive, -1 Pending (the sender has not answered), -2 Rejected');

class NotificationSubscriptionDto extends createZodDto(
  z
    .object({
      topic_code: code.describe('topic_code from /notification/list'),
      sender_list: z.array(code).min(1).max(100).describe('participant codes the notifications are expected from; for the gateway topics, the HCX instance id'),
    })
    .strict(),
) {}

class OnSubscribeDto extends createZodDto(
  z
    .object({
      subscription_id: code,
      status: z.number().int().describe('1 approve, -2 reject'),
    })
    .strict(),
) {}

class SubscriptionListRequestDto extends createZodDto(
  z
    .object({
      filters: z
        .object({
          topic_code: code.optional(),
          status: z.number().int().optional(),
          sender_code: code.optional().describe('your own code lists the subscriptions addressed to you as sender'),
          subscription_id: code.optional(),
        })
        .strict()
        .default({}),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).default(0),
    })
    .strict(),
) {}

class SubscriptionUpdateDto extends createZodDto(
  z
    .object({
      topic_code: code,
      subscriber_list: z.array(code).min(1).max(1000),
      status: z.number().int().describe('1 Active, 0 Inactive, -2 Rejected'),
    })
    .strict(),
) {}

class NotificationRequestDto extends createZodDto(
  z
    .object({
      payload: z
        .string()
        .min(1)
        .max(1024 * 1024)
        .describe('JWS (RS256, compact) signed with the sender signing certificate; protected header x-hcx-notification_headers, payload base64url({topic_code, message})'),
    })
    .strict(),
) {}

const subscriptionItem = z.object({ subscription_id: z.string(), sender_code: z.string(), status });

class SubscribeAnswerDto extends createZodDto(
  z.object({
    timestamp: z.string(),
    subscription_id: z.string().describe('the subscription (the first one when sender_list names several)'),
    status,
    subscription_list: z.array(subscriptionItem).describe('one subscription per sender'),
  }),
) {}

class OnSubscribeAnswerDto extends createZodDto(z.object({ timestamp: z.string(), subscription_id: z.string(), status })) {}

const subscriptionView = z.object({ subscription_id: z.string(), topic_code: z.string(), subscriber_code: z.string(), sender_list: z.array(z.string()), status });

class SubscriptionListAnswerDto extends createZodDto(z.object({ timestamp: z.string(), subscriptions: z.array(subscriptionView), count: z.number().int() })) {}

class SubscriptionUpdateAnswerDto extends createZodDto(
  z.object({
    timestamp: z.string(),
    api_call_id: z.string().describe('the id the gateway gave this change'),
    correlation_id: z.string().describe('correlation_id of the status notices sent to the subscribers'),
    subscriptions: z.array(subscriptionView),
  }),
) {}

class NotifyAnswerDto extends createZodDto(
  z.object({
    timestamp: z.string(),
    api_call_id: z.string().describe('the id the gateway gave this notification'),
    correlation_id: z.string().describe('x-hcx-notification_headers.correlation_id, or the one the gateway gave'),
    deliveries: z.number().int().describe('subscribers the notification is being delivered to'),
  }),
) {}

/** notify bodies that are not `{payload: string}`: the protocol's ERR_INVALID_PAYLOAD. */
const notifyBody = new ZodBodyPipe((issues) => new HcxError('ERR_INVALID_PAYLOAD', describeIssues(issues)));

const NOW = '1796544000000';
const SUBSCRIPTION_ID = '0b1d2c6e-6d0e-4bd4-9a55-3f2a4f8f7c11';
const TOPIC = 'notif-participant-status-change@hcx';

function actorOf(principal: HcxPrincipal): NotificationActor {
  return principal.kind === 'operator' ? { kind: 'admin' } : { kind: 'participant', participantCode: principal.participantCode, roles: principal.participant.roles };
}

/**
 * HCX notification APIs (openapi_hcx_notifications.yaml) besides the topic list: subscriptions and
 * notify. Thin: NotificationService holds the rules.
 */
@ApiTags('notifications (HCX)')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 400: 'ERR_INVALID_REQUEST, ERR_INVALID_TOPIC_CODE, ERR_INVALID_SENDER, ...', 401: 'ERR_ACCESS_DENIED', 403: 'ERR_ACCESS_DENIED', 404: 'ERR_INVALID_SUBSCRIPTION_ID', 503: 'ERR_SERVICE_UNAVAILABLE' })
@Controller(`${PROTOCOL_VERSION}/notification`)
@HcxParticipant()
@UseFilters(HcxErrorsFilter)
export class NotificationSubscriptionsController {
  constructor(@Inject(NotificationService) private readonly notifications: NotificationService) {}

  @Post('subscribe')
  @HttpCode(200)
  @HcxParticipant()
  @ApiOperation({ summary: 'Subscribe to a topic from the senders in sender_list: 200 when every subscription is active (gateway topics), 202 when a participant sender must approve (its answer comes to your /notification/on_subscribe)' })
  @ApiJsonResponse(200, SubscribeAnswerDto, { timestamp: NOW, subscription_id: SUBSCRIPTION_ID, status: 1, subscription_list: [{ subscription_id: SUBSCRIPTION_ID, sender_code: 'hcx', status: 1 }] })
  @ApiJsonResponse(202, SubscribeAnswerDto, { timestamp: NOW, subscription_id: SUBSCRIPTION_ID, status: -1, subscription_list: [{ subscription_id: SUBSCRIPTION_ID, sender_code: 'demo-payor@hcx', status: -1 }] })
  async subscribe(@Body(hcxBody) body: NotificationSubscriptionDto, @CurrentPrincipal() principal: HcxPrincipal, @Res({ passthrough: true }) response: Response) {
    const { answer, pending } = await this.notifications.subscribe(actorOf(principal), body);
    // A sender still has to approve: accepted, not yet done.
    response.status(pending ? 202 : 200);
    return answer;
  }

  @Post('unsubscribe')
  @HttpCode(200)
  @HcxParticipant()
  @ApiOperation({ summary: 'End your subscriptions to a topic from the senders in sender_list (status 0)' })
  @ApiJsonResponse(200, SubscribeAnswerDto, { timestamp: NOW, subscription_id: SUBSCRIPTION_ID, status: 0, subscription_list: [{ subscription_id: SUBSCRIPTION_ID, sender_code: 'hcx', status: 0 }] })
  unsubscribe(@Body(hcxBody) body: NotificationSubscriptionDto, @CurrentPrincipal() principal: HcxPrincipal) {
    return this.notifications.unsubscribe(actorOf(principal), body);
  }

  @Post('on_subscribe')
  @HttpCode(200)
  @HcxParticipant()
  @ApiOperation({ summary: 'A sender answers a subscription request forwarded to its /notification/subscribe: status 1 approves, -2 rejects; the subscriber is told at its /notification/on_subscribe' })
  @ApiJsonResponse(200, OnSubscribeAnswerDto, { timestamp: NOW, subscription_id: SUBSCRIPTION_ID, status: 1 })
  onSubscribe(@Body(hcxBody) body: OnSubscribeDto, @CurrentPrincipal() principal: HcxPrincipal) {
    return this.notifications.onSubscribe(actorOf(principal), body);
  }

  @Post('subscription/list')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Your subscriptions (filters: topic_code, status, sender_code, subscription_id; limit, offset); sender_code = your code lists those addressed to you; the operator sees all' })
  @ApiJsonResponse(200, SubscriptionListAnswerDto, { timestamp: NOW, subscriptions: [{ subscription_id: SUBSCRIPTION_ID, topic_code: TOPIC, subscriber_code: 'demo-provider@hcx', sender_list: ['hcx'], status: 1 }], count: 1 })
  listSubscriptions(@Body(hcxBody) body: SubscriptionListRequestDto, @CurrentPrincipal() principal: HcxPrincipal) {
    return this.notifications.listSubscriptions(actorOf(principal), body);
  }

  @Post('subscription/update')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'The sender sets the status of its subscribers\u2019 subscriptions (the operator for the gateway topics); each subscriber is told at its /notification/on_subscribe' })
  @ApiJsonResponse(200, SubscriptionUpdateAnswerDto, {
    timestamp: NOW,
    api_call_id: '5e934f90-111d-4f0b-b016-c22d820674e1',
    correlation_id: '5e934f90-111d-4f0b-b016-c22d820674e1',
    subscriptions: [{ subscription_id: SUBSCRIPTION_ID, topic_code: 'notif-payer-downtime@hcx', subscriber_code: 'demo-provider@hcx', sender_list: ['demo-payor@hcx'], status: 1 }],
  })
  updateSubscriptions(@Body(hcxBody) body: SubscriptionUpdateDto, @CurrentPrincipal() principal: HcxPrincipal) {
    return this.notifications.updateSubscriptions(actorOf(principal), body);
  }

  @Post('notify')
  @HttpCode(200)
  @HcxParticipant()
  @ApiOperation({ summary: 'Send a notification (JWS signed with your signing certificate) to the active subscribers of the topic from you, narrowed by recipient_type/recipients' })
  @ApiJsonResponse(200, NotifyAnswerDto, { timestamp: NOW, api_call_id: '26b1060c-1e83-4600-9612-ea31e0ca5091', correlation_id: '5e934f90-111d-4f0b-b016-c22d820674e1', deliveries: 3 })
  notify(@Body(notifyBody) body: NotificationRequestDto, @CurrentPrincipal() principal: HcxPrincipal) {
    return this.notifications.notify(actorOf(principal), body);
  }
}
