import { Body, Controller, HttpCode, Inject, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { API_CALL_REPOSITORY } from '@npi/hcx/data-access';
import type { ApiCallRepository } from '@npi/hcx/data-access';
import { Allow, HcxAuthGuard, principalOf } from '../api-keys/hcx-auth.guard';
import { accessDenied } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { PROTOCOL_VERSION } from '../protocol/apis';
import { parseInput } from '../validation';

class AuditSearchDto {
  @ApiPropertyOptional() correlation_id?: string;
  @ApiPropertyOptional() workflow_id?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 or Unix ms' }) from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 or Unix ms' }) to?: string;
  @ApiProperty({ required: false, default: 50, maximum: 200 }) limit?: number;
}

const when = z.union([z.number().int().positive(), z.string().datetime({ offset: true })]).transform((value) => new Date(value));
const searchSchema = z
  .object({ correlation_id: z.string().max(128).optional(), workflow_id: z.string().max(128).optional(), from: when.optional(), to: when.optional(), limit: z.number().int().min(1).max(200).default(50) })
  .strict();

/** A participant lists its own requests (as sender or recipient): headers and statuses, never payloads. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller(`${PROTOCOL_VERSION}/audit`)
@UseGuards(HcxAuthGuard)
@UseFilters(HcxErrorsFilter)
export class AuditController {
  constructor(@Inject(API_CALL_REPOSITORY) private readonly apiCalls: ApiCallRepository) {}

  @Post('search')
  @HttpCode(200)
  @Allow('participant')
  @ApiOperation({ summary: 'Search own protocol requests by correlation id, workflow id or time' })
  @ApiBody({ type: AuditSearchDto })
  async search(@Body() body: unknown, @Req() request: Request): Promise<{ count: number; entries: unknown[] }> {
    const principal = principalOf(request);
    if (principal.kind !== 'participant') throw accessDenied('participant API key required', 403);
    const filter = parseInput(searchSchema, body ?? {});
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
