import { Body, Controller, HttpCode, Inject, Optional, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, createZodDto } from '@npi/api-contracts';
import { Public } from '@npi/auth-guards';
import type { Response } from 'express';
import { z } from 'zod';
import type { ServiceMetrics } from '@npi/observability';
import { RateLimitGuard, SERVICE_METRICS } from '@npi/service-runtime';
import type { RateLimitRule } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto, hcxBody } from '../hcx.contracts';
import { ApiKeyTokenService } from './api-key-token.service';
import type { TokenResponse } from './api-key-token.service';

const CLIENT_ID = z.string().min(1).max(128);

class ApiKeyRequestDto extends createZodDto(z.object({ client_id: CLIENT_ID.describe('participant_code'), client_secret: z.string().min(1).max(256) })) {}

class ApiKeyDto extends createZodDto(z.object({ access_token: z.string().describe('HS256 JWT signed with the client_secret'), token_type: z.literal('Bearer'), expires_in: z.number().int() })) {}

/**
 * `/token/generate` limits, per source address and per client_id, counted in PostgreSQL so they
 * hold across replicas; they bound online guessing of a client secret. The guard runs before the
 * body pipe: a client_id that is not a valid one is not counted per client (the per-source limit
 * still applies, and the pipe refuses the body).
 */
export function tokenRateLimits(config: HcxGatewayConfig): RateLimitRule[] {
  const ttlMs = config.HCX_TOKEN_RATE_WINDOW_SECONDS * 1000;
  return [
    { name: 'token-source', limit: config.HCX_TOKEN_RATE_LIMIT_PER_IP, ttlMs, by: 'source-address' },
    {
      name: 'token-client',
      limit: config.HCX_TOKEN_RATE_LIMIT_PER_CLIENT,
      ttlMs,
      by: (request) => {
        const clientId = (request.body as { client_id?: unknown } | undefined)?.client_id;
        return CLIENT_ID.safeParse(clientId).success ? (clientId as string) : undefined;
      },
    },
  ];
}

@ApiTags('api-keys')
@ApiPublic() // client_id and client_secret travel in the body
@Public()
@ApiErrorBody(HcxErrorResponseDto, { 400: 'ERR_INVALID_REQUEST' })
@Controller('token')
@UseFilters(HcxErrorsFilter)
export class TokenController {
  constructor(
    @Inject(ApiKeyTokenService) private readonly tokens: ApiKeyTokenService,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
  ) {}

  @Post('generate')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'Seed 002 /token/generate: an HS256 API key signed with the client_secret' })
  @ApiJsonResponse(200, ApiKeyDto, { access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLXByb3ZpZGVyQGhjeCJ9.c2lnbmF0dXJl', token_type: 'Bearer', expires_in: 86400 })
  @ApiResponse({ status: 401, description: 'ERR_ACCESS_DENIED (unknown client or wrong secret, indistinguishable)' })
  @ApiResponse({ status: 429, description: 'ERR_RATE_LIMITED' })
  async generate(@Body(hcxBody) body: ApiKeyRequestDto, @Res({ passthrough: true }) response: Response): Promise<TokenResponse> {
    response.setHeader('Cache-Control', 'no-store');
    const answer = await this.tokens.generate(body.client_id, body.client_secret);
    this.metrics?.tokensIssued.inc({ kind: 'hcx.api_key' });
    return answer;
  }
}
