import { Catch, Inject, Optional } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { authGuardStatusOf, isAuthGuardError } from '@npi/auth-guards';
import { databaseErrorKind } from '@npi/database';
import { LOGGER, SERVICE_METRICS, correlationIdOfResponse, toHttpProblem } from '@npi/service-runtime';
import type { ServiceMetrics } from '@npi/observability';
import { AccessTokenRejectedError, NpiError, TokenSignatureInvalidError } from '../domain/errors';
import type { NpiErrorKind } from '../domain/errors';
import { NpiResponseSigner } from './signing';
import { NPI_SIGNER } from '../tokens';

type HttpStatus = 400 | 401 | 403 | 404 | 500 | 503;

/**
 * The HTTP status of each kind of refusal (NCHL's "Handling of Response Codes": technical errors
 * are 400, see the README's table). E999 has three: a bad access token 401 (NCHL section 5.1), the
 * database unreachable 503 (retry later), anything else 500.
 */
export const NPI_ERROR_STATUS: Readonly<Record<NpiErrorKind, HttpStatus>> = {
  TOKEN_SIGNATURE_INVALID: 400,
  INVALID_ACCOUNT: 400,
  VALIDATION_FAILED: 400,
  // E007 "not authorized" (whitelist, debit cap, Billers): a technical refusal like every E007.
  NOT_AUTHORIZED: 400,
  RECORD_NOT_FOUND: 400,
  DUPLICATE_BATCH: 400,
  ACCESS_TOKEN_REJECTED: 401,
  GENERAL: 500,
  SERVICE_UNAVAILABLE: 503,
  // The admin API's own shape: a resource that does not exist.
  ADMIN_NOT_FOUND: 404,
};

/**
 * The one place where payment-service's failures become NCHL bodies (NCHL's technical response
 * format): `{responseCode, responseDescription, fieldErrors, token?}`. Guards' errors: source IP →
 * E001 403, access token → E999 401. Body-parser and Nest errors (bad JSON, too large, unknown
 * route, a broken percent-escape in the path) are bad input: E007 with their 4xx status, never a
 * 500; so is a value PostgreSQL refuses (a NUL byte). The database unreachable: E999 503. Anything
 * else: E999 500 with the correlation id only, logged once.
 */
@Catch()
export class NpiErrorsFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NPI_SIGNER) private readonly signer: NpiResponseSigner,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const correlationId = correlationIdOfResponse(response);
    this.count(exception);
    if (!request.path.startsWith('/api/')) {
      // Registered globally too (body-parser errors happen before any controller): outside the NPI
      // APIs (admin, health, docs) keep the platform's shape.
      // The operator guard's refusal is the admin API's E999 401, as it always was.
      if (isAuthGuardError(exception) && exception.code === 'ERR_OPERATOR_TOKEN_REQUIRED') exception = new AccessTokenRejectedError(exception.message);
      if (exception instanceof NpiError) {
        if (!response.headersSent) response.status(NPI_ERROR_STATUS[exception.kind]).json({ error: { code: exception.responseCode, message: exception.message, fieldErrors: exception.fieldErrors }, correlationId });
        return;
      }
      const problem = toHttpProblem(exception);
      if (problem.internal) this.logger.error({ err: exception, correlationId, path: request.path }, 'unhandled error');
      if (!response.headersSent) response.status(problem.status).json({ error: { code: problem.code, message: problem.message }, correlationId });
      return;
    }
    const { status, body } = this.render(exception, request, correlationId);
    if (response.headersSent) return;
    // NCHL's response-code handling: every refusal of every NPI API (details included) in the technical format.
    response.status(status).json(body);
  }

  /** Refused member credentials and NCHL token strings that did not verify (domain metrics). */
  private count(exception: unknown): void {
    if (exception instanceof TokenSignatureInvalidError) this.metrics?.signatureFailures.inc({ kind: 'nchl.token_string', reason: exception.responseCode });
    else if (isAuthGuardError(exception)) this.metrics?.tokensRefused.inc({ kind: 'npi.access_token', reason: exception.code });
  }

  private render(exception: unknown, request: Request, correlationId: string): { status: number; body: Record<string, unknown> } {
    if (exception instanceof NpiError) {
      const token = this.signer.signRefusal(exception.batchId, exception.responseCode);
      return {
        status: NPI_ERROR_STATUS[exception.kind],
        body: { responseCode: exception.responseCode, responseDescription: exception.message, fieldErrors: exception.fieldErrors, ...(token ? { token } : {}) },
      };
    }
    if (isAuthGuardError(exception)) {
      if (exception.code === 'ERR_SOURCE_IP_NOT_ALLOWED') {
        return { status: authGuardStatusOf(exception), body: { responseCode: 'E001', responseDescription: 'source IP address is not allowed', fieldErrors: [] } };
      }
      return { status: authGuardStatusOf(exception), body: { responseCode: 'E999', responseDescription: `${exception.code}: ${exception.message}`, fieldErrors: [] } };
    }
    const database = databaseErrorKind(exception);
    if (database === 'unavailable') {
      this.logger.warn({ err: exception, correlationId, path: request.path }, 'database unavailable');
      return { status: NPI_ERROR_STATUS.SERVICE_UNAVAILABLE, body: { responseCode: 'E999', responseDescription: 'service temporarily unavailable, retry later', fieldErrors: [] } };
    }
    if (database === 'invalid-input') {
      // A value PostgreSQL refuses (a NUL byte, text too long for a column) is the caller's bad input.
      return { status: NPI_ERROR_STATUS.VALIDATION_FAILED, body: { responseCode: 'E007', responseDescription: 'technical validation failed: a field holds characters or a length that cannot be stored', fieldErrors: [] } };
    }
    const problem = toHttpProblem(exception);
    if (problem.internal) {
      this.logger.error({ err: exception, correlationId, path: request.path }, 'unhandled error');
      return { status: NPI_ERROR_STATUS.GENERAL, body: { responseCode: 'E999', responseDescription: 'general error', fieldErrors: [] } };
    }
    return { status: problem.status, body: { responseCode: 'E007', responseDescription: problem.message, fieldErrors: [] } };
  }
}
