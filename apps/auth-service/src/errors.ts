/**
 * Domain errors of auth-service with stable codes and no HTTP status: the filters of
 * `oauth-errors.filter.ts` own the code-to-status tables (RFC 6749 section 5.2 bodies on the OAuth
 * endpoints, `{error: {code, message}}` on the admin API).
 */
export type OAuthErrorName =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'temporarily_unavailable';

export type AuthErrorCode =
  | 'ERR_INVALID_REQUEST'
  | 'ERR_INVALID_CLIENT'
  | 'ERR_INVALID_GRANT'
  | 'ERR_USER_LOCKED'
  | 'ERR_REFRESH_TOKEN_EXPIRED'
  | 'ERR_REFRESH_TOKEN_REUSED'
  | 'ERR_UNAUTHORIZED_CLIENT'
  | 'ERR_UNSUPPORTED_GRANT_TYPE'
  | 'ERR_INVALID_SCOPE'
  | 'ERR_SOURCE_IP_NOT_ALLOWED'
  | 'ERR_RATE_LIMITED'
  | 'ERR_SERVICE_UNAVAILABLE';

/** An OAuth 2.0 error response (RFC 6749 section 5.2) with our stable code beside it. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorName,
    readonly code: AuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const invalidRequest = (description: string) => new OAuthError('invalid_request', 'ERR_INVALID_REQUEST', description);
export const invalidClient = (description = 'client authentication failed') => new OAuthError('invalid_client', 'ERR_INVALID_CLIENT', description);
export const invalidGrant = (description: string, code: AuthErrorCode = 'ERR_INVALID_GRANT') => new OAuthError('invalid_grant', code, description);
export const unauthorizedClient = (description: string) => new OAuthError('unauthorized_client', 'ERR_UNAUTHORIZED_CLIENT', description);
export const unsupportedGrantType = (description: string) => new OAuthError('unsupported_grant_type', 'ERR_UNSUPPORTED_GRANT_TYPE', description);
export const invalidScope = (description: string) => new OAuthError('invalid_scope', 'ERR_INVALID_SCOPE', description);
// Seed 001 section 7.1; not an RFC 6749 case, so `access_denied` with our stable code.
export const sourceIpNotAllowed = () => new OAuthError('access_denied', 'ERR_SOURCE_IP_NOT_ALLOWED', 'the source address is not allowed for this client');

export type AdminErrorCode = 'ERR_VALIDATION' | 'ERR_CLIENT_NOT_FOUND' | 'ERR_USER_NOT_FOUND' | 'ERR_CLIENT_EXISTS' | 'ERR_USER_EXISTS';

export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}
