import { Body, Controller, HttpCode, Inject, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody } from '@npi/api-contracts';
import { CurrentPrincipal, HcxParticipant } from '@npi/auth-guards';
import type { HcxPrincipal } from '../api-keys/hcx-principal';
import { HcxError, forbidden } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto } from '../hcx.contracts';
import { PROTOCOL_APIS, PROTOCOL_VERSION } from './apis';
import type { ProtocolApi } from './apis';
import { PROTOCOL_SCHEMAS } from './protocol-openapi';
import { ProtocolService } from './protocol.service';
import type { Accepted } from './protocol.service';

/** HCX protocol APIs under /v0.8/: one route per `<entity>/<action>`, thin. */
@ApiTags('protocol')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 401: 'ERR_ACCESS_DENIED', 403: 'ERR_ACCESS_DENIED: participant API key required', 404: 'unknown protocol API' })
@Controller(PROTOCOL_VERSION)
@HcxParticipant()
@UseFilters(HcxErrorsFilter)
export class ProtocolController {
  constructor(@Inject(ProtocolService) private readonly protocol: ProtocolService) {}

  /** Paths the HCX documents do not define: 404 in the HCX error body. Each defined API has its own route (below). */
  @Post(':entity/:action')
  @ApiExcludeEndpoint()
  unknown(): never {
    throw new HcxError('ERR_UNKNOWN_RESOURCE', 'unknown protocol API');
  }

  accept(api: ProtocolApi, body: unknown, principal: HcxPrincipal): Promise<Accepted> {
    if (principal.kind !== 'participant') throw forbidden('participant API key required');
    return this.protocol.accept(api, body, principal);
  }
}

/**
 * One route per protocol API (so the OpenAPI document lists each path of the HCX protocol document
 * with its body and answers), declared from PROTOCOL_APIS rather than written out fourteen times.
 * Declared before the generic `:entity/:action` route matches, as Nest registers methods in order.
 */
for (const api of [...PROTOCOL_APIS].reverse()) {
  const key = `accept${api.path.replace(/[^A-Za-z]/g, '_')}`;
  const handler = function (this: ProtocolController, body: unknown, principal: HcxPrincipal): Promise<Accepted> {
    return this.accept(api, body, principal);
  };
  Object.defineProperty(handler, 'name', { value: key });
  const prototype = ProtocolController.prototype as unknown as Record<string, unknown>;
  prototype[key] = handler;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key) as PropertyDescriptor;
  const body = api.isCallback ? { oneOf: [PROTOCOL_SCHEMAS.JWEPayload, PROTOCOL_SCHEMAS.ProtocolResponse] } : PROTOCOL_SCHEMAS.JWEPayload;
  const decorators: MethodDecorator[] = [
    Post(api.path.slice(1)),
    HttpCode(202),
    HcxParticipant(),
    ApiOperation({ summary: `HCX ${api.path}${api.isCallback ? ' (JWE or plain-JSON ProtocolResponse)' : ''}` }),
    ApiBody({ schema: body }),
    ApiResponse({
      status: 202,
      description: 'Accepted',
      content: {
        'application/json': {
          schema: api.path === '/hcx/status' ? PROTOCOL_SCHEMAS.StatusSuccessResponse : PROTOCOL_SCHEMAS.SuccessResponse,
          example: { timestamp: '1796544000000', api_call_id: '26b1060c-1e83-4600-9612-ea31e0ca5091', correlation_id: '5e934f90-111d-4f0b-b016-c22d820674e1' },
        },
      },
    }),
    ApiResponse({ status: 400, description: 'Request validation failed (HCX error code)', schema: PROTOCOL_SCHEMAS.ErrorResponse }),
    ApiResponse({ status: 401, description: 'ERR_ACCESS_DENIED', schema: PROTOCOL_SCHEMAS.ErrorResponse }),
    ApiResponse({ status: 503, description: 'ERR_SERVICE_UNAVAILABLE', schema: PROTOCOL_SCHEMAS.ErrorResponse }),
  ];
  for (const decorate of decorators) decorate(prototype, key, descriptor);
  Body()(prototype, key, 0);
  CurrentPrincipal()(prototype, key, 1);
  Object.defineProperty(prototype, key, descriptor);
}

// The generic route must come after every explicit one (Express matches in registration order,
// and Nest registers a controller's methods in property order): move it to the end.
{
  const prototype = ProtocolController.prototype as unknown as Record<string, unknown>;
  const fallback = Object.getOwnPropertyDescriptor(prototype, 'unknown') as PropertyDescriptor;
  delete prototype.unknown;
  Object.defineProperty(prototype, 'unknown', fallback);
}
