import { Inject, Injectable } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_HEADER, SpanKind, correlationIdOf, extractTraceContext, runWithCorrelationId, startSpan, withTraceContext } from '@npi/observability';
import type { ServiceMetrics } from '@npi/observability';
import { SERVICE_METRICS } from './tokens';

const CORRELATION = Symbol.for('npi.correlationId');

export function correlationIdOfResponse(response: Response): string {
  return ((response.locals as Record<symbol, string>)[CORRELATION] ?? response.getHeader(CORRELATION_HEADER) ?? '') as string;
}

export function correlationIdOfRequest(request: Request): string {
  return correlationIdOfResponse(request.res as Response);
}

/**
 * Per request: a correlation id (taken from a safe x-correlation-id/x-request-id or made), echoed
 * in the response and carried by every log line of the request (AsyncLocalStorage); a server span
 * and metrics at the end. The access log line is request-logging.ts's; security headers
 * come from helmet (start-service).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(@Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const { metrics } = this;
    const started = process.hrtime.bigint();
    const correlationId = correlationIdOf(request);
    (response.locals as Record<symbol, string>)[CORRELATION] = correlationId;
    response.setHeader(CORRELATION_HEADER, correlationId);
    // A server span per request, continuing the caller's W3C trace (traceparent) if it sent one.
    const { span, context } = startSpan(`${request.method}`, {
      kind: SpanKind.SERVER,
      parent: extractTraceContext(request.headers),
      attributes: { 'http.request.method': request.method, 'url.path': request.path, 'correlation.id': correlationId },
    });
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      span.end();
      const labels = { method: request.method, route, status: String(response.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
    });
    withTraceContext(context, () => runWithCorrelationId(correlationId, () => next()));
  }
}
