import { Body, Controller, HttpCode, Inject, Optional, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, createZodDto } from '@npi/api-contracts';
import { Public } from '@npi/auth-guards';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ServiceMetrics } from '@npi/observability';
import { SERVICE_METRICS } from '@npi/service-runtime';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto, hcxBody } from '../hcx.contracts';
import { TokenService } from './token.service';
import type { TokenResponse } from './token.service';

class ApiKeyRequestDto extends createZodDto(z.object({ client_id: z.string().min(1).max(128).describe('participant_code'), client_secret: z.string().min(1).max(256) })) {}

class ApiKeyDto extends createZodDto(z.object({ access_token: z.string().describe('HS256 JWT signed with the client_secret'), token_type: z.literal('Bearer'), expires_in: z.number().int() })) {}

@ApiTags('api-keys')
@ApiPublic() // client_id and client_secret travel in the body
@Public()
@ApiErrorBody(HcxErrorResponseDto, { 400: 'ERR_INVALID_REQUEST' })
@Controller('token')
@UseFilters(HcxErrorsFilter)
export class TokenController {
  constructor(
    @Inject(TokenService) private readonly tokens: TokenService,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
  ) {}

  @Post('generate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seed 002 /token/generate: an HS256 API key signed with the client_secret' })
  @ApiJsonResponse(200, ApiKeyDto, { access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLXByb3ZpZGVyQGhjeCJ9.c2lnbmF0dXJl', token_type: 'Bearer', expires_in: 86400 })
  @ApiResponse({ status: 401, description: 'ERR_ACCESS_DENIED (unknown client or wrong secret, indistinguishable)' })
  @ApiResponse({ status: 429, description: 'ERR_RATE_LIMITED' })
  async generate(@Body(hcxBody) body: ApiKeyRequestDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<TokenResponse> {
    response.setHeader('Cache-Control', 'no-store');
    const { client_id, client_secret } = body;
    const answer = await this.tokens.generate(client_id, client_secret, request.socket.remoteAddress ?? 'unknown');
    this.metrics?.tokensIssued.inc({ kind: 'hcx.api_key' });
    return answer;
  }
}
