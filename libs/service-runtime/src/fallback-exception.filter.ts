import { Catch } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { toHttpProblem } from './http-problem';
import { correlationIdOfResponse } from './request-context';

/**
 * The default edge mapping for routes without a protocol filter of their own (health, docs,
 * metrics, unknown paths): `{error: {code, message}, correlationId}`. Unknown errors are logged once,
 * in full but redacted, and answered with a generic 500.
 */
@Catch()
export class FallbackExceptionFilter implements ExceptionFilter {
  /** nestjs-pino's logger: inside a request it writes through that request's logger (its correlation id). */
  constructor(private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const problem = toHttpProblem(exception);
    const correlationId = correlationIdOfResponse(response);
    if (problem.internal) this.logger.error({ err: exception, correlationId, path: request.path }, 'unhandled error');
    if (response.headersSent) return;
    response.status(problem.status).json({ error: { code: problem.code, message: problem.message }, correlationId });
  }
}
