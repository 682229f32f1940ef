import { Catch, Inject, Optional } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { isAuthGuardError } from '@npi/auth-guards';
import { isDatabaseUnavailable } from '@npi/database';
import { CLOCK, LOGGER, SERVICE_METRICS, correlationIdOfResponse, toHttpProblem } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { ServiceMetrics } from '@npi/observability';
import { HcxError, accessDenied } from './errors';

/** HCX `ErrorResponse` (protocol, registry and notification documents). */
export interface HcxErrorBody {
  /** Unix milliseconds as a string, as the HCX documents write it. */
  timestamp: string;
  /** Echo of the request's x-hcx-api_call_id / x-hcx-correlation_id; "" when the request carried none. */
  api_call_id: string;
  correlation_id: string;
  error: { code: string; message: string; trace: string };
}

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The ids the caller sent, read from the body without trusting it: the JWE protected header of
 * `{"payload": "<JWE>"}` or the top level of a plain-JSON ProtocolResponse. Only short id-like
 * strings are echoed, so an error body never reflects arbitrary input.
 */
export function protocolIdsOf(body: unknown): { api_call_id: string; correlation_id: string } {
  let header: Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const payload = (body as { payload?: unknown }).payload;
    if (typeof payload === 'string' && payload.indexOf('.') > 0 && payload.indexOf('.') <= 16_384) {
      try {
        const parsed: unknown = JSON.parse(Buffer.from(payload.slice(0, payload.indexOf('.')), 'base64url').toString('utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) header = parsed as Record<string, unknown>;
      } catch {
        header = undefined;
      }
    } else {
      header = body as Record<string, unknown>;
    }
  }
  const pick = (name: string) => {
    const value = header?.[name];
    return typeof value === 'string' && ID.test(value) ? value : '';
  };
  return { api_call_id: pick('x-hcx-api_call_id'), correlation_id: pick('x-hcx-correlation_id') };
}

/**
 * The one place where hcx-gateway's errors become HCX ErrorResponse bodies, with the status the
 * domain error carries. A database that cannot be reached is 503 ERR_SERVICE_UNAVAILABLE (retry);
 * anything else unexpected is 500 ERR_SERVICE_UNAVAILABLE, logged once (the logger redacts), never
 * a stack trace in the answer.
 */
@Catch()
export class HcxErrorsFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) return;
    const send = (status: number, code: string, message: string, trace = '') => {
      const body: HcxErrorBody = { timestamp: String(this.clock.now().getTime()), ...protocolIdsOf(request.body), error: { code, message, trace } };
      response.status(status).json(body);
    };
    // The guards' refusals (libs/auth-guards): HCX has one code for them, with the guard's status
    // (401 no or a wrong credential, 403 a caller of the wrong kind for the route).
    if (isAuthGuardError(exception)) exception = accessDenied(exception.message, exception.status);
    if (exception instanceof ThrottlerException) {
      // A route's RateLimitModule rule (only /token/generate has one). The throttler names its wait
      // per rule (Retry-After-<rule>); clients look for Retry-After.
      const waits = Object.entries(response.getHeaders()).filter(([name]) => name.startsWith('retry-after-')).map(([, value]) => Number(value));
      response.setHeader('Retry-After', String(Math.max(1, ...waits.filter(Number.isFinite))));
      send(429, 'ERR_RATE_LIMITED', 'too many token requests; retry later');
      return;
    }
    if (exception instanceof HcxError) {
      if (exception.status === 401) {
        response.setHeader('WWW-Authenticate', 'Bearer');
        // A refused credential: the client secret at /token/generate, an API key everywhere else.
        this.metrics?.tokensRefused.inc({ kind: request.path === '/token/generate' ? 'hcx.client_secret' : 'hcx.api_key', reason: exception.code });
      }
      if (exception.status === 503) response.setHeader('Retry-After', '5');
      send(exception.status, exception.code, exception.message, exception.trace);
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ correlationId: correlationIdOfResponse(response) }, 'database unavailable');
      response.setHeader('Retry-After', '5');
      send(503, 'ERR_SERVICE_UNAVAILABLE', 'the gateway cannot reach its database; retry later');
      return;
    }
    const problem = toHttpProblem(exception);
    if (problem.internal) {
      this.logger.error({ err: exception, correlationId: correlationIdOfResponse(response) }, 'unhandled error');
      send(500, 'ERR_SERVICE_UNAVAILABLE', 'internal error');
      return;
    }
    send(problem.status, problem.code, problem.message);
  }
}
