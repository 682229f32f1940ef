import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { BearerTokenGuard, SourceIpGuard } from '@npi/auth-guards';
import { NpiErrorsFilter } from './npi-errors.filter';

/**
 * Every NPI member API: a bearer access token from auth-service, then the source IP allowlist of
 * that token's client (seed 001 sections 7.1-7.2; order matters, the IP check needs the client),
 * and NCHL's error bodies.
 */
export const NpiMemberApi = () =>
  applyDecorators(
    UseGuards(BearerTokenGuard, SourceIpGuard),
    UseFilters(NpiErrorsFilter),
    ApiBearerAuth(),
    ApiResponse({ status: 400, description: 'E003 invalid token, E004 invalid account, E007 validation failed / not authorized, 99 duplicate batch' }),
    ApiResponse({ status: 401, description: 'E999: access token missing, invalid, expired or revoked' }),
    ApiResponse({ status: 403, description: 'E001: source IP not allowed' }),
    ApiResponse({ status: 500, description: 'E999: general error' }),
  );
