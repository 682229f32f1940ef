import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { BearerTokenGuard, SourceIpGuard } from '@npi/auth-guards';
import { NCHL_SAMPLES } from './nchl-samples';
import { NpiErrorsFilter } from './npi-errors.filter';

/** NCHL's technical response format (FORBIDDEN, BAD REQUEST, INTERNAL SERVER ERROR). */
const TECHNICAL_ERROR_SCHEMA = {
  type: 'object',
  required: ['responseCode', 'responseDescription', 'fieldErrors'],
  properties: {
    responseCode: { type: 'string' },
    responseDescription: { type: 'string' },
    fieldErrors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
    token: { type: 'string', description: "a transaction API's refusal that names a batchId: NPI's signature over `batchId,responseCode,`" },
  },
  example: NCHL_SAMPLES.technicalError,
};

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
    ApiResponse({ status: 400, description: 'E003 invalid token, E004 invalid account / record not found, E007 technical validation failed / not authorized, 99 duplicate batch', schema: TECHNICAL_ERROR_SCHEMA }),
    ApiResponse({ status: 401, description: 'E999: access token missing, invalid, expired or revoked', schema: TECHNICAL_ERROR_SCHEMA }),
    ApiResponse({ status: 403, description: 'E001: source IP not allowed', schema: TECHNICAL_ERROR_SCHEMA }),
    ApiResponse({ status: 500, description: 'E999: general error', schema: TECHNICAL_ERROR_SCHEMA }),
    ApiResponse({ status: 503, description: 'E999: the database cannot be reached; retry later', schema: TECHNICAL_ERROR_SCHEMA }),
  );
