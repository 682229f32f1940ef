import { Body, Controller, HttpCode, Inject, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { HcxParticipant } from '@npi/auth-guards';
import type { HcxGatewayConfig } from '../config';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { hcxProtocolBody } from '../hcx.contracts';
import { PROTOCOL_VERSION } from '../protocol/apis';
import { PROTOCOL_SCHEMAS } from '../protocol/protocol-openapi';
import { notificationTopics } from './notification-topics';
import type { NotificationTopic } from './notification-topics';

const listRequest = z
  .object({
    filters: z
      .object({ topic_code: z.string().max(256).optional(), category: z.enum(['network', 'participant', 'use_case']).optional(), priority: z.number().int().optional() })
      .strict()
      .default({}),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .strict()
  .describe('Topic filters (each optional, ANDed), limit, offset');

/** `POST /v0.9/notification/list` body. */
export class HcxNotificationListRequestDto extends createZodDto(listRequest) {}

const topicSchema: SchemaObject = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    description: { type: 'string' },
    sender: { type: 'array', items: { type: 'string' } },
    recipient: { type: 'array', items: { type: 'string' } },
    topic_code: { type: 'string' },
    category: { type: 'string' },
    priority: { type: 'number' },
    template: { type: 'string' },
  },
};

/** A list request without a body lists every topic. */
const listBody = hcxProtocolBody({ optional: true });

/** HCX notification APIs (openapi_hcx_notifications.yaml). Served so far: the master topic list. */
@ApiTags('notifications (HCX)')
@ApiBearerAuth()
@Controller(`${PROTOCOL_VERSION}/notification`)
@HcxParticipant()
@UseFilters(HcxErrorsFilter)
export class NotificationController {
  private readonly topics: NotificationTopic[];

  constructor(
    @Inject(SERVICE_CONFIG) config: HcxGatewayConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.topics = notificationTopics(config.HCX_INSTANCE_ID);
  }

  @Post('list')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Master list of notification topics (filters: topic_code, category, priority; limit, offset)' })
  @ApiBody({ type: HcxNotificationListRequestDto, required: false, examples: { participant: { value: { filters: { category: 'participant' }, limit: 10, offset: 0 } } } })
  @ApiResponse({
    status: 200,
    content: {
      'application/json': {
        schema: { type: 'object', properties: { timestamp: { type: 'string' }, notifications: { type: 'array', items: topicSchema }, count: { type: 'number' } } },
        example: { timestamp: '1796544000000', notifications: [], count: 0 },
      },
    },
  })
  @ApiResponse({ status: 400, schema: PROTOCOL_SCHEMAS.ErrorResponse })
  list(@Body(listBody) request: HcxNotificationListRequestDto): { timestamp: string; notifications: NotificationTopic[]; count: number } {
    const { topic_code: code, category, priority } = request.filters;
    const matching = this.topics.filter((topic) => (code === undefined || topic.topic_code === code) && (category === undefined || topic.category === category) && (priority === undefined || topic.priority === priority));
    return { timestamp: String(this.clock.now().getTime()), notifications: matching.slice(request.offset, request.offset + request.limit), count: matching.length };
  }
}
