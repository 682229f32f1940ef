import { Controller, HttpCode, Inject, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorBody, ApiJsonResponse, ApiNoBody, createZodDto } from '@npi/api-contracts';
import { HcxErrorResponseDto } from '../hcx.contracts';
import { HcxOperator, HcxParticipant } from '@npi/auth-guards';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HCX_SIGNING_KEYS } from '../tokens';
import type { HcxSigningKeys } from './hcx-signing-keys';

class RotatedSigningKeyDto extends createZodDto(z.object({ kid: z.string().describe('the new active key id') })) {}

/** Rotation of the HCX RS256 key (generated keys only; a configured key file rotates by configuration). */
@ApiTags('keys')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 401: 'ERR_ACCESS_DENIED', 403: 'ERR_ACCESS_DENIED: admin only' })
@Controller('admin/signing-keys')
@HcxParticipant()
@UseFilters(HcxErrorsFilter)
export class SigningKeysController {
  constructor(@Inject(HCX_SIGNING_KEYS) private readonly keys: HcxSigningKeys) {}

  @Post('rotate')
  @HttpCode(200)
  @HcxOperator()
  @ApiOperation({ summary: 'New active RS256 key; earlier public keys stay in the JWKS for tokens in flight' })
  @ApiNoBody()
  @ApiJsonResponse(200, RotatedSigningKeyDto, { kid: 'hcx-2026-12-06' })
  async rotate(): Promise<{ kid: string }> {
    return { kid: await this.keys.rotate() };
  }
}
