import { Catch, Inject } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER, correlationIdOfResponse, toHttpProblem } from '@npi/service-runtime';
import { HcxError } from './errors';

/**
 * The one place where hcx-gateway's domain errors become HCX error bodies:
 * `{"error": {"code", "message"}}` with the status the error carries. Anything unexpected is a
 * generic ERR_SERVICE_UNAVAILABLE/500 with the correlation id, logged once (the logger redacts).
 */
@Catch()
export class HcxErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = correlationIdOfResponse(response);
    if (response.headersSent) return;
    if (exception instanceof HcxError) {
      if (exception.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
      if (exception.status === 429) response.setHeader('Retry-After', '60');
      response.status(exception.status).json({ error: { code: exception.code, message: exception.message }, correlationId });
      return;
    }
    const problem = toHttpProblem(exception);
    if (problem.internal) {
      this.logger.error({ err: exception, correlationId }, 'unhandled error');
      response.status(500).json({ error: { code: 'ERR_SERVICE_UNAVAILABLE', message: 'internal error' }, correlationId });
      return;
    }
    response.status(problem.status).json({ error: { code: problem.code, message: problem.message }, correlationId });
  }
}
