import { Catch, Inject, Optional } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { AuthGuardError, authGuardStatusOf } from '@npi/auth-guards';
import { isDatabaseUnavailable } from '@npi/database';
import { LOGGER, SERVICE_METRICS, announceRetryAfter, correlationIdOfResponse, toHttpProblem } from '@npi/service-runtime';
import type { ServiceMetrics } from '@npi/observability';
import { AdminError, OAuthError } from './errors';
import type { AdminErrorCode, OAuthErrorName } from './errors';
import { tokenMetricKind } from './oauth/oauth-token.service';
import { OAUTH_SOURCE_LIMIT } from './oauth/rate-limits';

/**
 * HTTP status of each OAuth error (RFC 6749 section 5.2: 400, but 401 for `invalid_client`, which
 * also carries WWW-Authenticate). `access_denied` is the source allowlist (seed 001 section 7.1).
 */
export const OAUTH_ERROR_STATUS: Readonly<Record<OAuthErrorName, number>> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  temporarily_unavailable: 503,
};

/** HTTP status of each admin API error code. */
export const ADMIN_ERROR_STATUS: Readonly<Record<AdminErrorCode, number>> = {
  ERR_VALIDATION: 400,
  ERR_CLIENT_NOT_FOUND: 404,
  ERR_USER_NOT_FOUND: 404,
  ERR_CLIENT_EXISTS: 409,
  ERR_USER_EXISTS: 409,
};

/**
 * OAuth endpoints: RFC 6749 section 5.2 bodies `{error, error_description, error_code}` with
 * `Cache-Control: no-store`. Body-parser failures become `invalid_request`; anything unknown is a
 * generic 500 logged once.
 */
@Catch()
export class OAuthErrorsFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    if (exception instanceof OAuthError) {
      const status = OAUTH_ERROR_STATUS[exception.error];
      if (status === 401) response.setHeader('WWW-Authenticate', 'Basic realm="npi-auth-service", charset="UTF-8"');
      response.status(status).json({ error: exception.error, error_description: exception.description, error_code: exception.code });
      return;
    }
    if (exception instanceof ThrottlerException) {
      // Refused before the controller ran, so the refusal is counted here.
      const request = host.switchToHttp().getRequest<{ path?: string; body?: unknown }>();
      if (request.path === '/oauth/token') this.metrics?.tokensRefused.inc({ kind: tokenMetricKind((request.body ?? {}) as Record<string, unknown>), reason: 'ERR_RATE_LIMITED' });
      this.rateLimited(response);
      return;
    }
    const correlationId = correlationIdOfResponse(response);
    if (isDatabaseUnavailable(exception)) {
      // An outage is the client's cue to retry (RFC 6749 `temporarily_unavailable`), not a server bug.
      this.logger.warn({ correlationId }, 'database unreachable on an OAuth endpoint');
      response.setHeader('Retry-After', '1');
      response.status(503).json({ error: 'temporarily_unavailable', error_description: 'the authorization server cannot reach its database; retry shortly', error_code: 'ERR_SERVICE_UNAVAILABLE' });
      return;
    }
    const problem = toHttpProblem(exception);
    if (problem.internal) {
      this.logger.error({ err: exception, correlationId }, 'unhandled error on an OAuth endpoint');
      response.status(500).json({ error: 'server_error', error_description: 'internal error', correlation_id: correlationId });
      return;
    }
    response.status(problem.status === 413 || problem.status === 415 ? problem.status : 400).json({ error: 'invalid_request', error_description: problem.message, error_code: 'ERR_INVALID_REQUEST' });
  }

  /** A limit of `rate-limits.ts` refused the request (RateLimitGuard): RFC 6749 `temporarily_unavailable`, 429. */
  private rateLimited(response: Response): void {
    const waits = announceRetryAfter(response);
    const perSource = waits.some((wait) => wait.rule === OAUTH_SOURCE_LIMIT);
    response.status(429).json({
      error: 'temporarily_unavailable',
      error_description: perSource ? 'too many token requests from this source address' : 'too many token requests for this client',
      error_code: 'ERR_RATE_LIMITED',
    });
  }
}

/** Admin API: `{error: {code, message}, correlationId}`; guard failures keep their auth-guards codes. */
@Catch()
export class AdminErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.setHeader('Cache-Control', 'no-store');
    const correlationId = correlationIdOfResponse(response);
    if (exception instanceof AdminError) {
      response.status(ADMIN_ERROR_STATUS[exception.code]).json({ error: { code: exception.code, message: exception.message }, correlationId });
      return;
    }
    if (exception instanceof AuthGuardError) {
      const status = authGuardStatusOf(exception);
      if (status === 401) response.setHeader('WWW-Authenticate', `Bearer error="invalid_token"`);
      response.status(status).json({ error: { code: exception.code, message: exception.message }, correlationId });
      return;
    }
    const problem = toHttpProblem(exception);
    if (problem.internal) this.logger.error({ err: exception, correlationId }, 'unhandled error on the admin API');
    response.status(problem.status).json({ error: { code: problem.code, message: problem.message }, correlationId });
  }
}

/**
 * Registered globally (APP_FILTER) for what fails before a controller runs — body-parser errors
 * (malformed JSON, oversized body) — so the OAuth endpoints answer RFC 6749 bodies even then.
 * Other paths keep the platform's `{error: {code, message}, correlationId}` shape.
 */
@Catch()
export class PreRoutingErrorsFilter implements ExceptionFilter {
  private readonly oauth: OAuthErrorsFilter;
  private readonly admin: AdminErrorsFilter;

  constructor(@Inject(LOGGER) logger: Logger) {
    this.oauth = new OAuthErrorsFilter(logger);
    this.admin = new AdminErrorsFilter(logger);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const path = host.switchToHttp().getRequest<{ path?: string }>().path ?? '';
    if (path.startsWith('/oauth/')) this.oauth.catch(exception, host);
    else this.admin.catch(exception, host);
  }
}
