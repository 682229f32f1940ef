import { Body, Controller, HttpCode, Inject, Param, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorBody, ApiJsonResponse, createZodDto } from '@npi/api-contracts';
import type { Request } from 'express';
import { Allow, HcxAuthGuard, principalOf } from '../api-keys/hcx-auth.guard';
import { HcxError } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto } from '../hcx.contracts';
import { PROTOCOL_APIS, PROTOCOL_VERSION, protocolApiOf } from './apis';
import { ProtocolService } from './protocol.service';
import type { Accepted } from './protocol.service';

/**
 * Documented here; checked by ProtocolService, which must read the JWE protected header (HCX
 * headers, ids echoed in the error) before it can answer with the HCX error codes.
 */
class ProtocolRequestDto extends createZodDto(z.object({ payload: z.string().describe('JWE compact serialisation; its protected header carries the x-hcx-* headers') })) {}

class ProtocolAcceptedDto extends createZodDto(z.object({ timestamp: z.string().describe('Unix milliseconds'), api_call_id: z.string(), correlation_id: z.string() })) {}

/** HCX protocol APIs (issue #7) under /v0.8/: one route per `<entity>/<action>`, thin. */
@ApiTags('protocol')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 401: 'ERR_ACCESS_DENIED', 403: 'ERR_ACCESS_DENIED: participant API key required', 404: 'unknown protocol API' })
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
  @ApiJsonResponse(202, ProtocolAcceptedDto, { timestamp: '1796544000000', api_call_id: '26b1060c-1e83-4600-9612-ea31e0ca5091', correlation_id: '5e934f90-111d-4f0b-b016-c22d820674e1' }, 'accepted; delivered to the recipient asynchronously')
  @ApiResponse({ status: 400, description: 'HCX error codes of the protocol headers and payload' })
  accept(@Param('entity') entity: string, @Param('action') action: string, @Body() body: unknown, @Req() request: Request): Promise<Accepted> {
    const api = protocolApiOf(`/${entity}/${action}`);
    if (!api) throw new HcxError('ERR_INVALID_REQUEST', 'unknown protocol API', 404);
    const principal = principalOf(request);
    if (principal.kind !== 'participant') throw new HcxError('ERR_ACCESS_DENIED', 'participant API key required', 403);
    return this.protocol.accept(api, body, principal);
  }
}
