import { Body, Controller, HttpCode, Inject, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, createZodDto } from '@npi/api-contracts';
import { z } from 'zod';
import { API_CALL_REPOSITORY } from '@npi/hcx/data-access';
import type { ApiCallRepository } from '@npi/hcx/data-access';
import { CurrentPrincipal, HcxParticipant } from '@npi/auth-guards';
import type { HcxPrincipal } from '../api-keys/hcx-principal';
import { forbidden } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { PROTOCOL_VERSION } from '../protocol/apis';
import { HcxErrorResponseDto, hcxBody } from '../hcx.contracts';

const when = z.union([z.number().int().positive(), z.string().datetime({ offset: true })]).transform((value) => new Date(value));
const searchSchema = z
  .object({ correlation_id: z.string().max(128).optional(), workflow_id: z.string().max(128).optional(), from: when.optional(), to: when.optional(), limit: z.number().int().min(1).max(200).default(50) })
  .strict();

class AuditSearchDto extends createZodDto(searchSchema) {}

class AuditEntriesDto extends createZodDto(
  z.object({
    count: z.number().int(),
    entries: z.array(
      z.object({
        api_call_id: z.string(),
        correlation_id: z.string(),
        workflow_id: z.string().nullable(),
        api: z.string(),
        sender_code: z.string(),
        recipient_code: z.string(),
        hcx_status: z.string(),
        headers: z.record(z.string(), z.unknown()),
        delivery_status: z.string(),
        attempts: z.number().int(),
        accepted_at: z.string(),
        delivered_at: z.string().nullable(),
      }),
    ),
  }),
) {}

const AUDIT_EXAMPLE = {
  count: 1,
  entries: [
    {
      api_call_id: '26b1060c-1e83-4600-9612-ea31e0ca5091',
      correlation_id: '5e934f90-111d-4f0b-b016-c22d820674e1',
      workflow_id: null,
      api: '/coverageeligibility/check',
      sender_code: 'demo-provider@hcx',
      recipient_code: 'demo-payor@hcx',
      hcx_status: 'request.queued',
      headers: { 'x-hcx-status': 'request.queued' },
      delivery_status: 'DELIVERED',
      attempts: 1,
      accepted_at: '2026-12-06T08:00:00.000Z',
      delivered_at: '2026-12-06T08:00:00.120Z',
    },
  ],
};

/** A participant lists its own requests (as sender or recipient): headers and statuses, never payloads. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 400: 'ERR_INVALID_REQUEST', 401: 'ERR_ACCESS_DENIED', 403: 'ERR_ACCESS_DENIED: participant API key required' })
@Controller(`${PROTOCOL_VERSION}/audit`)
@HcxParticipant()
@UseFilters(HcxErrorsFilter)
export class AuditController {
  constructor(@Inject(API_CALL_REPOSITORY) private readonly apiCalls: ApiCallRepository) {}

  @Post('search')
  @HttpCode(200)
  @HcxParticipant()
  @ApiOperation({ summary: 'Search own protocol requests by correlation id, workflow id or time' })
  @ApiJsonResponse(200, AuditEntriesDto, AUDIT_EXAMPLE)
  async search(@Body(hcxBody) filter: AuditSearchDto, @CurrentPrincipal() principal: HcxPrincipal): Promise<{ count: number; entries: unknown[] }> {
    if (principal.kind !== 'participant') throw forbidden('participant API key required');
    const rows = await this.apiCalls.search({ participantCode: principal.participantCode, correlationId: filter.correlation_id, workflowId: filter.workflow_id, from: filter.from, to: filter.to, limit: filter.limit });
    const entries = rows.map((row) => ({
      api_call_id: row.apiCallId,
      correlation_id: row.correlationId,
      workflow_id: row.workflowId,
      api: row.apiPath,
      sender_code: row.senderCode,
      recipient_code: row.recipientCode,
      hcx_status: row.hcxStatus,
      headers: row.headers,
      delivery_status: row.deliveryStatus,
      attempts: row.attempts,
      accepted_at: row.acceptedAt.toISOString(),
      delivered_at: row.deliveredAt?.toISOString() ?? null,
    }));
    return { count: entries.length, entries };
  }
}
