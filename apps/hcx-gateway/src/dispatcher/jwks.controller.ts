import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, JWK_SET_EXAMPLE, JwkSetDto } from '@npi/api-contracts';
import { Public } from '@npi/auth-guards';
import { HcxErrorResponseDto } from '../hcx.contracts';
import type { Response } from 'express';
import { HCX_SIGNING_KEYS } from '../tokens';
import type { HcxSigningKeys } from './hcx-signing-keys';

@ApiTags('keys')
@ApiPublic()
@Public()
@ApiErrorBody(HcxErrorResponseDto, { 500: 'ERR_SERVICE_UNAVAILABLE' })
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(HCX_SIGNING_KEYS) private readonly keys: HcxSigningKeys) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'Public keys of the HCX instance (RS256) that participant systems verify HCX calls with' })
  @ApiJsonResponse(200, JwkSetDto, JWK_SET_EXAMPLE)
  async jwks(@Res() response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.json(await this.keys.jwks());
  }
}
