/**
 * Every failure of the guards, as one error class per cause with a stable `code` and no HTTP
 * status: each service's protocol filter renders them, and `authGuardStatusOf` is the one
 * code-to-status table for filters that answer with the status RFC 6750 section 3.1 suggests.
 */
export type AuthGuardErrorCode =
  | 'ERR_TOKEN_MISSING'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_REVOKED'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_SOURCE_IP_NOT_ALLOWED'
  | 'ERR_ORIGIN_NOT_ALLOWED'
  | 'ERR_OPERATOR_TOKEN_REQUIRED'
  | 'ERR_ROLE_NOT_ALLOWED';

export abstract class AuthGuardError extends Error {
  abstract readonly code: AuthGuardErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A guard error class with its code and default message (the classes below differ in nothing else). */
function guardError<C extends AuthGuardErrorCode>(code: C, defaultMessage: string) {
  return class extends AuthGuardError {
    readonly code = code;
    constructor(message = defaultMessage) {
      super(message);
    }
  };
}

/** No `Authorization: Bearer` header (RFC 6750 section 3.1: 401 without an error code). */
export class TokenMissingError extends guardError('ERR_TOKEN_MISSING', 'a bearer access token is required') {}

/** Malformed, wrongly signed, wrong `typ`/`alg`/`iss`/`aud`, or a required claim missing. */
export class TokenInvalidError extends guardError('ERR_TOKEN_INVALID', 'the access token is invalid') {}

export class TokenExpiredError extends guardError('ERR_TOKEN_EXPIRED', 'the access token has expired') {}

/** Revoked by an `auth.token.revoked.v1` event (by jti or by client/subject before an instant). */
export class TokenRevokedError extends guardError('ERR_TOKEN_REVOKED', 'the access token has been revoked') {}

export class InsufficientScopeError extends AuthGuardError {
  readonly code = 'ERR_INSUFFICIENT_SCOPE' as const;
  constructor(readonly missingScopes: readonly string[]) {
    super(`the access token lacks the scope(s): ${missingScopes.join(' ')}`);
  }
}

/** Seed 001 section 7.1: the source address is not in the client's allowlist (or the client is unknown). */
export class SourceIpNotAllowedError extends guardError('ERR_SOURCE_IP_NOT_ALLOWED', 'the source address is not allowed for this client') {}

export class OriginNotAllowedError extends guardError('ERR_ORIGIN_NOT_ALLOWED', 'the request origin is not allowed') {}

/** An operator (admin) route without the service's operator token, or with a wrong one. */
export class OperatorTokenRequiredError extends guardError('ERR_OPERATOR_TOKEN_REQUIRED', 'admin token required') {}

/** An authenticated caller of the wrong kind for the route (a participant on an operator route, or the reverse). */
export class RoleNotAllowedError extends guardError('ERR_ROLE_NOT_ALLOWED', 'this caller may not use this route') {}

/**
 * RFC 6750 section 3.1: 401 when the credential is missing or refused (the client may retry with
 * another), 403 when the credential is fine but not enough for this request.
 */
export const AUTH_GUARD_ERROR_STATUS: Readonly<Record<AuthGuardErrorCode, 401 | 403>> = {
  ERR_TOKEN_MISSING: 401,
  ERR_TOKEN_INVALID: 401,
  ERR_TOKEN_EXPIRED: 401,
  ERR_TOKEN_REVOKED: 401,
  ERR_OPERATOR_TOKEN_REQUIRED: 401,
  ERR_INSUFFICIENT_SCOPE: 403,
  ERR_SOURCE_IP_NOT_ALLOWED: 403,
  ERR_ORIGIN_NOT_ALLOWED: 403,
  ERR_ROLE_NOT_ALLOWED: 403,
};

/** The HTTP status of a guard's refusal (`AUTH_GUARD_ERROR_STATUS`). */
export function authGuardStatusOf(error: AuthGuardError): 401 | 403 {
  return AUTH_GUARD_ERROR_STATUS[error.code];
}

export function isAuthGuardError(error: unknown): error is AuthGuardError {
  return error instanceof AuthGuardError;
}
