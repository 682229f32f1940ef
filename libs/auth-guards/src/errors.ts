/**
 * Every failure of the guards, as one error class per cause with a stable `code` (STYLE.md: codes
 * inside, protocols at the edge). Each service's protocol filter maps them; `status` is the HTTP
 * status RFC 6750 section 3.1 suggests, for filters that have no protocol-specific opinion.
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
  abstract readonly status: 401 | 403;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No `Authorization: Bearer` header (RFC 6750 section 3.1: 401 without an error code). */
export class TokenMissingError extends AuthGuardError {
  readonly code = 'ERR_TOKEN_MISSING' as const;
  readonly status = 401 as const;
  constructor(message = 'a bearer access token is required') {
    super(message);
  }
}

/** Malformed, wrongly signed, wrong `typ`/`alg`/`iss`/`aud`, or a required claim missing. */
export class TokenInvalidError extends AuthGuardError {
  readonly code = 'ERR_TOKEN_INVALID' as const;
  readonly status = 401 as const;
  constructor(message = 'the access token is invalid') {
    super(message);
  }
}

export class TokenExpiredError extends AuthGuardError {
  readonly code = 'ERR_TOKEN_EXPIRED' as const;
  readonly status = 401 as const;
  constructor(message = 'the access token has expired') {
    super(message);
  }
}

/** Revoked by an `auth.token.revoked.v1` event (by jti or by client/subject before an instant). */
export class TokenRevokedError extends AuthGuardError {
  readonly code = 'ERR_TOKEN_REVOKED' as const;
  readonly status = 401 as const;
  constructor(message = 'the access token has been revoked') {
    super(message);
  }
}

export class InsufficientScopeError extends AuthGuardError {
  readonly code = 'ERR_INSUFFICIENT_SCOPE' as const;
  readonly status = 403 as const;
  constructor(readonly missingScopes: readonly string[]) {
    super(`the access token lacks the scope(s): ${missingScopes.join(' ')}`);
  }
}

/** Seed 001 section 7.1: the source address is not in the client's allowlist (or the client is unknown). */
export class SourceIpNotAllowedError extends AuthGuardError {
  readonly code = 'ERR_SOURCE_IP_NOT_ALLOWED' as const;
  readonly status = 403 as const;
  constructor(message = 'the source address is not allowed for this client') {
    super(message);
  }
}

export class OriginNotAllowedError extends AuthGuardError {
  readonly code = 'ERR_ORIGIN_NOT_ALLOWED' as const;
  readonly status = 403 as const;
  constructor(message = 'the request origin is not allowed') {
    super(message);
  }
}

/** An operator (admin) route without the service's operator token, or with a wrong one. */
export class OperatorTokenRequiredError extends AuthGuardError {
  readonly code = 'ERR_OPERATOR_TOKEN_REQUIRED' as const;
  readonly status = 401 as const;
  constructor(message = 'admin token required') {
    super(message);
  }
}

/** An authenticated caller of the wrong kind for the route (a participant on an operator route, or the reverse). */
export class RoleNotAllowedError extends AuthGuardError {
  readonly code = 'ERR_ROLE_NOT_ALLOWED' as const;
  readonly status = 403 as const;
  constructor(message = 'this caller may not use this route') {
    super(message);
  }
}

export function isAuthGuardError(error: unknown): error is AuthGuardError {
  return error instanceof AuthGuardError;
}
