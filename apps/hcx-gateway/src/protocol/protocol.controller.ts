import { Body, Controller, HttpCode, Inject, Param, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Allow, HcxAuthGuard, principalOf } from '../api-keys/hcx-auth.guard';
import { HcxError } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { PROTOCOL_APIS, PROTOCOL_VERSION, protocolApiOf } from './apis';
import { ProtocolService } from './protocol.service';
import type { Accepted } from './protocol.service';

class ProtocolRequestDto {
  @ApiProperty({ description: 'JWE compact serialisation; its protected header carries the x-hcx-* headers' }) payload!: string;
}

/** HCX protocol APIs (issue #7) under /v0.8/: one route per `<entity>/<action>`, thin. */
@ApiTags('protocol')
@ApiBearerAuth()
@Controller(PROTOCOL_VERSION)
@UseGuards(HcxAuthGuard)
@UseFilters(HcxErrorsFilter)
export class ProtocolController {
  constructor(@Inject(ProtocolService) private readonly protocol: ProtocolService) {}

  @Post(':entity/:action')
  @HttpCode(202)
  @Allow('participant')
  @ApiOperation({ summary: `Protocol APIs: ${PROTOCOL_APIS.map((api) => api.path).join(', ')}` })
  @ApiParam({ name: 'entity', enum: [...new Set(PROTOCOL_APIS.map((api) => api.path.split('/')[1]))] })
  @ApiParam({ name: 'action', enum: [...new Set(PROTOCOL_APIS.map((api) => api.path.split('/')[2]))] })
  @ApiBody({ type: ProtocolRequestDto })
  @ApiResponse({ status: 202, description: '{timestamp, api_call_id, correlation_id}' })
  @ApiResponse({ status: 400, description: 'HCX ErrorResponse {timestamp, api_call_id, correlation_id, error: {code, message, trace}}' })
  accept(@Param('entity') entity: string, @Param('action') action: string, @Body() body: unknown, @Req() request: Request): Promise<Accepted> {
    const api = protocolApiOf(`/${entity}/${action}`);
    if (!api) throw new HcxError('ERR_INVALID_REQUEST', 'unknown protocol API', 404);
    const principal = principalOf(request);
    if (principal.kind !== 'participant') throw new HcxError('ERR_ACCESS_DENIED', 'participant API key required', 403);
    return this.protocol.accept(api, body, principal);
  }
}
