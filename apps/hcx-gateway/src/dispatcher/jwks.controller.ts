import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPublic } from '@npi/api-contracts';
import type { Response } from 'express';
import { HCX_SIGNING_KEYS } from '../tokens';
import type { HcxSigningKeys } from './hcx-signing-keys';

@ApiTags('keys')
@ApiPublic()
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(HCX_SIGNING_KEYS) private readonly keys: HcxSigningKeys) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'Public keys of the HCX instance (RS256) that participant systems verify HCX calls with' })
  async jwks(@Res() response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.json(await this.keys.jwks());
  }
}
