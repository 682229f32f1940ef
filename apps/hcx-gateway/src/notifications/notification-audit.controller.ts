import { Body, Controller, HttpCode, Inject, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, createZodDto } from '@npi/api-contracts';
import { z } from 'zod';
import { NOTIFICATION_REPOSITORY } from '@npi/hcx/data-access';
import type { NotificationRepository } from '@npi/hcx/data-access';
import { HcxOperator } from '@npi/auth-guards';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto, hcxBody } from '../hcx.contracts';

const when = z.union([z.number().int().positive(), z.string().datetime({ offset: true })]).transform((value) => new Date(value));

class NotificationAuditSearchDto extends createZodDto(
  z
    .object({
      topic_code: z.string().max(256).optional(),
      sender_code: z.string().max(256).optional(),
      correlation_id: z.string().max(128).optional(),
      from: when.optional(),
      to: when.optional(),
      limit: z.number().int().min(1).max(200).default(50),
    })
    .strict(),
) {}

class NotificationAuditDto extends createZodDto(
  z.object({
    count: z.number().int(),
    notifications: z.array(
      z.object({
        id: z.string(),
        topic_code: z.string(),
        sender_code: z.string(),
        correlation_id: z.string(),
        recipient_type: z.string().nullable(),
        recipients: z.array(z.string()),
        created_at: z.string(),
        deliveries: z.array(z.object({ recipient_code: z.string(), delivery_status: z.string(), attempts: z.number().int(), last_error: z.string().nullable(), delivered_at: z.string().nullable() })),
      }),
    ),
  }),
) {}

const EXAMPLE = {
  count: 1,
  notifications: [
    {
      id: '0b1d2c6e-6d0e-4bd4-9a55-3f2a4f8f7c11',
      topic_code: 'notif-payer-downtime@hcx',
      sender_code: 'demo-payor@hcx',
      correlation_id: '5e934f90-111d-4f0b-b016-c22d820674e1',
      recipient_type: 'participant_role',
      recipients: ['provider'],
      created_at: '2026-12-06T08:00:00.000Z',
      deliveries: [{ recipient_code: 'demo-provider@hcx', delivery_status: 'delivered', attempts: 1, last_error: null, delivered_at: '2026-12-06T08:00:00.140Z' }],
    },
  ],
};

/** Operators' audit of notifications (participants' and the gateway's own) with each recipient's delivery state; never the payload. */
@ApiTags('notifications (operators)')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 400: 'ERR_INVALID_REQUEST', 401: 'ERR_ACCESS_DENIED', 403: 'ERR_ACCESS_DENIED: admin token required' })
@Controller('admin/notifications')
@HcxOperator()
@UseFilters(HcxErrorsFilter)
export class NotificationAuditController {
  constructor(@Inject(NOTIFICATION_REPOSITORY) private readonly repository: NotificationRepository) {}

  @Post('search')
  @HttpCode(200)
  @ApiOperation({ summary: 'Search the notification audit by topic, sender, correlation id or time; each recipient\u2019s delivery state' })
  @ApiJsonResponse(200, NotificationAuditDto, EXAMPLE)
  async search(@Body(hcxBody) filter: NotificationAuditSearchDto) {
    const rows = await this.repository.searchNotifications({ topicCode: filter.topic_code, senderCode: filter.sender_code, correlationId: filter.correlation_id, from: filter.from, to: filter.to, limit: filter.limit });
    const notifications = await Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        topic_code: row.topicCode,
        sender_code: row.senderCode,
        correlation_id: row.correlationId,
        recipient_type: row.recipientType,
        recipients: row.recipients,
        created_at: row.createdAt.toISOString(),
        deliveries: (await this.repository.deliveriesOf(row.senderCode, row.correlationId)).map((delivery) => ({
          recipient_code: delivery.recipientCode,
          delivery_status: delivery.deliveryStatus,
          attempts: delivery.attempts,
          last_error: delivery.lastError,
          delivered_at: delivery.deliveredAt?.toISOString() ?? null,
        })),
      })),
    );
    return { count: notifications.length, notifications };
  }
}
