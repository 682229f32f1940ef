import { errors as joseErrors, jwtVerify } from 'jose';
import type { CryptoKey, JWK, JWTPayload, JWTVerifyGetKey, KeyObject } from 'jose';
import { TokenExpiredError, TokenInvalidError } from '../errors';
import { parseScope } from './scopes';
import { plainTokenJsonProblem } from './token-json';

/** Who called, as established by a verified access token. */
export interface AccessTokenPrincipal {
  clientId: string;
  /** The member's user (the password grant's `username`; NCHL's `userId`). */
  subject: string;
  scopes: string[];
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface VerifyAccessTokenOptions {
  issuer: string;
  audience: string | readonly string[];
  /** Current time (the clock port); defaults to the system time. */
  now?: Date;
  /** Allowed skew for `exp`/`iat` between the issuer's clock and ours. Default 5 s. */
  clockToleranceSeconds?: number;
  /** Asymmetric algorithms only; `none` and HMAC are never accepted. Default ES256 and PS256. */
  algorithms?: readonly AccessTokenAlgorithm[];
}

export type AccessTokenAlgorithm = 'ES256' | 'ES384' | 'PS256' | 'PS384' | 'RS256' | 'EdDSA';
export type AccessTokenKey = JWTVerifyGetKey | CryptoKey | KeyObject | JWK | Uint8Array;

const DEFAULT_ALGORITHMS: readonly AccessTokenAlgorithm[] = ['ES256', 'PS256'];
const ASYMMETRIC = new Set<string>(['ES256', 'ES384', 'PS256', 'PS384', 'RS256', 'EdDSA']);

/**
 * Verifies an RFC 9068 JWT access token offline: signature (by `kid` through the key set), header
 * `typ: at+jwt` (section 2.1, so an ID token or another JWT cannot be replayed as an access token),
 * `iss`, `aud`, `exp`, `iat` (section 4: all required), `sub`, `client_id`, `jti`.
 * Revocation is a separate check (RevokedTokenCache): this function knows nothing of state.
 */
export async function verifyAccessToken(token: string, key: AccessTokenKey, options: VerifyAccessTokenOptions): Promise<AccessTokenPrincipal> {
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  if (algorithms.some((alg) => !ASYMMETRIC.has(alg))) throw new TypeError('access tokens are verified with asymmetric algorithms only');
  const problem = plainTokenJsonProblem(token);
  if (problem) throw new TokenInvalidError(`the access token is invalid (${problem})`);
  let payload: JWTPayload;
  try {
    const verified = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
      issuer: options.issuer,
      audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
      algorithms,
      typ: 'at+jwt',
      currentDate: options.now,
      clockTolerance: options.clockToleranceSeconds ?? 5,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
    });
    payload = verified.payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new TokenExpiredError();
    if (error instanceof joseErrors.JOSEError) throw new TokenInvalidError(`the access token is invalid (${error.code})`);
    throw error;
  }
  const now = (options.now ?? new Date()).getTime() / 1000;
  const iat = payload.iat as number;
  // jose checks iat is a number; a token issued in the future (beyond the skew) is forged or broken.
  if (iat > now + (options.clockToleranceSeconds ?? 5)) throw new TokenInvalidError('the access token is invalid (iat in the future)');
  const clientId = payload['client_id'];
  if (typeof clientId !== 'string' || clientId === '' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || payload.jti === '') {
    throw new TokenInvalidError('the access token is invalid (claims)');
  }
  return {
    clientId,
    subject: payload.sub,
    scopes: parseScope(payload['scope']),
    jti: payload.jti,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date((payload.exp as number) * 1000),
  };
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1), or undefined. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  return match ? match[1] : undefined;
}
