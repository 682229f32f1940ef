import { applyDecorators, createParamDecorator, UseFilters } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorBody } from '@npi/api-contracts';
import { NpiMember } from '@npi/auth-guards';
import { NchlTechnicalErrorDto } from './nchl-answers.contracts';
import { NpiErrorsFilter } from './npi-errors.filter';

/** The refusals every NPI API can answer, all in NCHL's technical format. */
const NPI_ERRORS = {
  400: 'E003 invalid token, E004 invalid account / record not found, E007 technical validation failed / not authorized, 99 duplicate batch',
  401: 'E999: access token missing, invalid, expired or revoked',
  403: 'E001: source IP not allowed',
  500: 'E999: general error',
  503: 'E999: the database cannot be reached; retry later',
};

/**
 * Every NPI member API: a bearer access token from auth-service, then the source IP allowlist of
 * that token's client (seed 001 sections 7.1-7.2; order matters, the IP check needs the client),
 * and NCHL's error bodies (documented on every route).
 */
export const NpiMemberApi = () =>
  applyDecorators(NpiMember(), UseFilters(NpiErrorsFilter), ApiBearerAuth(), ApiErrorBody(NchlTechnicalErrorDto, NPI_ERRORS));

/**
 * The body exactly as posted, beside the validated one of `@Body(pipe)`: NCHL's token string is
 * built from the values the member signed, which the schema may have trimmed.
 */
export const PostedBody = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest<Request>().body);

/** Sends a transaction API's answer with its own status (a recorded refusal is 400, a replay repeats the first status). */
export function answered(response: Response, answer: { httpStatus: number; body: object }): object {
  response.status(answer.httpStatus);
  return answer.body;
}
