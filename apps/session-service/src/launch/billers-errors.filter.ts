import { Catch, Inject, Optional } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER, SERVICE_METRICS, announceRetryAfter, correlationIdOfResponse, toHttpProblem } from '@npi/service-runtime';
import type { ServiceMetrics } from '@npi/observability';
import { BILLERS_ERROR_MESSAGES, BillersError } from '../errors';
import type { BillersErrorCode } from '../errors';
import { pageContentSecurityPolicy, renderPage } from '../page/page-html';

/** NCHL code → HTTP status (README "Error codes"). */
export function httpStatusOf(code: BillersErrorCode): number {
  if (code === '100') return 500;
  if (code === '600') return 410;
  if (code === '601') return 409;
  if (code === '800') return 401;
  return 400;
}

/**
 * The one place where launch errors become NCHL's Billers answers: an HTML page showing the code
 * (what a browser in the iframe renders; with display_error=host_app its script posts `error` to
 * the host's registered origin) or, when the caller prefers JSON, `{error: {code, message},
 * correlationId}`. Anything unexpected is NCHL's 100, logged once, never a stack trace.
 */
@Catch()
export class BillersErrorsFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = correlationIdOfResponse(response);
    let error: BillersError;
    const problem = exception instanceof BillersError ? undefined : toHttpProblem(exception);
    if (problem?.status === 429) {
      // NCHL defines no Billers code for this; the platform's ERR_RATE_LIMITED, same body shapes.
      this.rateLimited(request, response, correlationId);
      return;
    }
    if (exception instanceof BillersError || !problem) {
      error = exception as BillersError;
      this.logger.info({ correlationId, code: error.code, reason: error.reason }, 'billers launch refused');
      if (error.code === '800') {
        // The launch token itself was refused; reason is the envelope's stable code.
        const reason = error.reason ?? '800';
        this.metrics?.tokensRefused.inc({ kind: 'billers.launch_token', reason });
        if (/SIGNATURE/.test(reason)) this.metrics?.signatureFailures.inc({ kind: 'billers.launch_token', reason });
      }
    } else {
      if (problem.internal) this.logger.error({ err: exception, correlationId }, 'billers launch failed');
      error = new BillersError(problem.internal ? '100' : '800');
    }
    if (response.headersSent) return;
    const status = httpStatusOf(error.code);
    const message = BILLERS_ERROR_MESSAGES[error.code];
    response.setHeader('Cache-Control', 'no-store');
    if (request.accepts(['html', 'json']) === 'json') {
      response.status(status).json({ error: { code: error.code, message }, correlationId });
      return;
    }
    const hostOrigins = error.context.hostOrigins ?? [];
    response.removeHeader('X-Frame-Options');
    response.setHeader('Content-Security-Policy', pageContentSecurityPolicy(hostOrigins));
    response.status(status).type('html').send(
      renderPage({
        sessionId: error.context.sessionId,
        hostOrigins,
        lang: error.context.lang ?? 'en',
        displayMode: error.context.displayMode ?? 'light',
        displayError: error.context.displayError ?? 'toast',
        apiBase: '/billers/api',
        error: { code: error.code, message, correlationId },
      }),
    );
  }

  private rateLimited(request: Request, response: Response, correlationId: string): void {
    if (response.headersSent) return;
    const message = 'Too many requests. Please try again later.';
    announceRetryAfter(response);
    response.setHeader('Cache-Control', 'no-store');
    if (request.accepts(['html', 'json']) === 'json') {
      response.status(429).json({ error: { code: 'ERR_RATE_LIMITED', message }, correlationId });
      return;
    }
    response.removeHeader('X-Frame-Options');
    response.setHeader('Content-Security-Policy', pageContentSecurityPolicy([]));
    response.status(429).type('html').send(
      renderPage({ hostOrigins: [], lang: 'en', displayMode: 'light', displayError: 'toast', apiBase: '/billers/api', error: { code: 'ERR_RATE_LIMITED', message, correlationId } }),
    );
  }
}
