import { Catch, Inject, Optional } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { authGuardStatusOf, isAuthGuardError } from '@npi/auth-guards';
import { isDatabaseUnavailable } from '@npi/database';
import { CLOCK, LOGGER, SERVICE_METRICS, announceRetryAfter, correlationIdOfResponse, toHttpProblem } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { ServiceMetrics } from '@npi/observability';
import { HcxError } from './errors';
import type { HcxErrorCode } from './errors';

/** HCX `ErrorResponse` (protocol, registry and notification documents). */
export interface HcxErrorBody {
  /** Unix milliseconds as a string, as the HCX documents write it. */
  timestamp: string;
  /** Echo of the request's x-hcx-api_call_id / x-hcx-correlation_id; "" when the request carried none. */
  api_call_id: string;
  correlation_id: string;
  error: { code: string; message: string; trace: string };
}

/** HTTP status of each domain code (README "Error codes"). */
const HCX_ERROR_STATUS: Readonly<Record<HcxErrorCode, number>> = {
  ERR_ACCESS_DENIED: 401,
  ERR_ACCESS_FORBIDDEN: 403,
  ERR_INVALID_SENDER: 400,
  ERR_INVALID_RECIPIENT: 400,
  ERR_MANDATORY_HEADER_MISSING: 400,
  ERR_INVALID_API_CALL_ID: 400,
  ERR_INVALID_CORRELATION_ID: 400,
  ERR_INVALID_WORKFLOW_ID: 400,
  ERR_INVALID_TIMESTAMP: 400,
  ERR_INVALID_STATUS: 400,
  ERR_INVALID_DEBUG_FLAG: 400,
  ERR_INVALID_ERROR_DETAILS: 400,
  ERR_INVALID_REDIRECT_TO: 400,
  ERR_INVALID_PAYLOAD: 400,
  ERR_INVALID_ENCRYPTION: 400,
  ERR_RECIPIENT_NOT_AVAILABLE: 400,
  ERR_INVALID_REQUEST: 400,
  ERR_INVALID_CERTIFICATE: 400,
  ERR_INVALID_SIGNATURE: 400,
  ERR_INVALID_TOPIC_CODE: 400,
  ERR_PARTICIPANT_NOT_FOUND: 404,
  ERR_INVALID_SUBSCRIPTION_ID: 404,
  ERR_UNKNOWN_RESOURCE: 404,
  ERR_PARTICIPANT_EXISTS: 409,
  ERR_SIGNING_KEY_CONFIGURED: 409,
  ERR_SERVICE_UNAVAILABLE: 503,
};

/** The gateway's own codes answer with the HCX code of the same meaning (see errors.ts). */
const HCX_CODE_OF: Readonly<Partial<Record<HcxErrorCode, string>>> = {
  ERR_ACCESS_FORBIDDEN: 'ERR_ACCESS_DENIED',
  ERR_UNKNOWN_RESOURCE: 'ERR_INVALID_REQUEST',
  ERR_SIGNING_KEY_CONFIGURED: 'ERR_INVALID_REQUEST',
};

/** Status and HCX code the gateway answers a domain error with. */
export function hcxAnswerOf(error: HcxError): { status: number; code: string } {
  return { status: HCX_ERROR_STATUS[error.code], code: HCX_CODE_OF[error.code] ?? error.code };
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
 * The one place where hcx-gateway's errors become HCX ErrorResponse bodies, with the status of the
 * code (HCX_ERROR_STATUS; the guards' refusals: AUTH_GUARD_ERROR_STATUS of libs/auth-guards). A
 * database that cannot be reached is 503 ERR_SERVICE_UNAVAILABLE (retry); anything else unexpected
 * is 500 ERR_SERVICE_UNAVAILABLE, logged once (the logger redacts), never a stack trace in the answer.
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
    if (exception instanceof ThrottlerException) {
      // A route's RateLimitModule rule (only /token/generate has one).
      announceRetryAfter(response);
      send(429, 'ERR_RATE_LIMITED', 'too many token requests; retry later');
      return;
    }
    // The guards' refusals (libs/auth-guards): HCX has one code for them, with the guard's status
    // (401 no or a wrong credential, 403 a caller of the wrong kind for the route).
    const refusal = isAuthGuardError(exception)
      ? { status: authGuardStatusOf(exception), code: 'ERR_ACCESS_DENIED', message: exception.message, trace: '' }
      : exception instanceof HcxError
        ? { ...hcxAnswerOf(exception), message: exception.message, trace: exception.trace }
        : undefined;
    if (refusal) {
      if (refusal.status === 401) {
        response.setHeader('WWW-Authenticate', 'Bearer');
        // A refused credential: the client secret at /token/generate, an API key everywhere else.
        this.metrics?.tokensRefused.inc({ kind: request.path === '/token/generate' ? 'hcx.client_secret' : 'hcx.api_key', reason: refusal.code });
      }
      if (refusal.status === 503) response.setHeader('Retry-After', '5');
      send(refusal.status, refusal.code, refusal.message, refusal.trace);
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
