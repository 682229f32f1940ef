import { Catch, Inject } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { authGuardStatusOf, isAuthGuardError } from '@npi/auth-guards';
import { LOGGER, correlationIdOfResponse, toHttpProblem } from '@npi/service-runtime';
import { PageApiError, RegistryError } from '../errors';
import type { PageApiErrorCode, RegistryErrorCode } from '../errors';

/** README "Page API errors" and "Admin API errors": code → HTTP status. */
export const PAGE_API_STATUS: Readonly<Record<PageApiErrorCode | RegistryErrorCode, number>> = {
  ERR_ORIGIN_NOT_ALLOWED: 403,
  ERR_PAGE_TOKEN_INVALID: 401,
  ERR_SESSION_NOT_FOUND: 404,
  ERR_SESSION_EXPIRED: 410,
  ERR_SESSION_NOT_ACTIVE: 409,
  ERR_BILLER_NOT_ALLOWED: 403,
  ERR_FORM_INVALID: 422,
  ERR_PARTICIPANT_KEY_MISSING: 409,
  ERR_UNAUTHORIZED: 401,
  ERR_VALIDATION: 400,
  ERR_KEY_INVALID: 400,
  ERR_KEY_TOO_SMALL: 400,
  ERR_NOT_FOUND: 404,
};

/** Page API and admin API errors: `{error: {code, message, fields?}, correlationId}` with a 4xx; unknown → 500 logged once. */
@Catch()
export class PageApiErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = correlationIdOfResponse(response);
    if (response.headersSent) return;
    if (exception instanceof PageApiError) {
      this.logger.info({ correlationId, code: exception.code }, 'billers page call refused');
      const fields = exception.fields.length > 0 ? { fields: exception.fields } : {};
      response.status(PAGE_API_STATUS[exception.code]).json({ error: { code: exception.code, message: exception.message, ...fields }, correlationId });
      return;
    }
    if (exception instanceof RegistryError) {
      response.status(PAGE_API_STATUS[exception.code]).json({ error: { code: exception.code, message: exception.message }, correlationId });
      return;
    }
    if (isAuthGuardError(exception) && exception.code === 'ERR_OPERATOR_TOKEN_REQUIRED') {
      // The admin API's refusal keeps its registry code.
      response.status(401).json({ error: { code: 'ERR_UNAUTHORIZED', message: exception.message }, correlationId });
      return;
    }
    // Another library's coded 4xx (auth-guards) keeps its code and status.
    const status = isAuthGuardError(exception) ? authGuardStatusOf(exception) : (exception as { status?: unknown } | null)?.status;
    const code = (exception as { code?: unknown } | null)?.code;
    if (typeof status === 'number' && status >= 400 && status < 500 && typeof code === 'string' && code.startsWith('ERR_')) {
      response.status(status).json({ error: { code, message: (exception as Error).message }, correlationId });
      return;
    }
    const problem = toHttpProblem(exception);
    if (problem.internal) this.logger.error({ err: exception, correlationId }, 'unhandled error');
    response.status(problem.status).json({ error: { code: problem.code, message: problem.message }, correlationId });
  }
}
