import { X509Certificate } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey, KeyObject } from 'jose';
import { plainTokenJsonProblem } from './token-json';

/**
 * Participant side of seed 002 "Securing Participant System APIs": a participant system checks the
 * RS256 token the HCX instance sends with each call. Plain functions (no Nest) so any Node system
 * can use them; nest/hcx-token.guard.ts wraps them for Nest.
 */
export type HcxTokenErrorCode = 'ERR_HCX_TOKEN_MISSING' | 'ERR_HCX_TOKEN_INVALID' | 'ERR_HCX_TOKEN_EXPIRED' | 'ERR_HCX_TOKEN_UNTRUSTED';

export class HcxTokenError extends Error {
  constructor(
    readonly code: HcxTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HcxTokenError';
  }
}

export interface HcxTokenVerifierOptions {
  /** The HCX instance id: `iss` and `sub` must both equal it. */
  hcxInstanceId: string;
  /**
   * This participant system's own participant code: `aud` must name it, so a token the gateway
   * sent to another participant is refused here. Recommended; without it `aud` is not checked.
   */
  participantCode?: string;
  /** The HCX JWKS (`<hcx>/.well-known/jwks.json`) ... */
  jwksUrl?: string;
  /** ... or a pinned JWKS ... */
  jwks?: JSONWebKeySet;
  /** ... or a pinned PEM certificate of the HCX signing key. */
  certificatePem?: string;
  clockToleranceSeconds?: number;
  /** jwksUrl: an unknown `kid` refetches the JWKS at most once per cooldown (default 30 s), so a rotation needs no restart. */
  jwksCooldownMs?: number;
  /** Longest accepted exp - iat (default 1 hour); stops a leaked long-lived token from being useful. */
  maxLifetimeSeconds?: number;
  now?: () => Date;
}

export interface HcxTokenClaims extends JWTPayload {
  jti: string;
  iss: string;
  sub: string;
  iat: number;
  exp: number;
}

export type HcxTokenVerifier = (authorization: string | undefined) => Promise<HcxTokenClaims>;

export function createHcxTokenVerifier(options: HcxTokenVerifierOptions): HcxTokenVerifier {
  const key = keyOf(options);
  const maxLifetime = options.maxLifetimeSeconds ?? 3600;
  return async (authorization) => {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new HcxTokenError('ERR_HCX_TOKEN_MISSING', 'missing bearer token');
    if (plainTokenJsonProblem(token)) throw new HcxTokenError('ERR_HCX_TOKEN_INVALID', 'HCX token invalid');
    let payload: JWTPayload;
    try {
      const verified = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions(options)) : await jwtVerify(token, key, verifyOptions(options));
      payload = verified.payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new HcxTokenError('ERR_HCX_TOKEN_EXPIRED', 'HCX token expired');
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new HcxTokenError('ERR_HCX_TOKEN_UNTRUSTED', 'HCX token not signed by the HCX instance');
      }
      throw new HcxTokenError('ERR_HCX_TOKEN_INVALID', 'HCX token invalid');
    }
    if ((payload.exp as number) - (payload.iat as number) > maxLifetime) throw new HcxTokenError('ERR_HCX_TOKEN_INVALID', 'HCX token lifetime too long');
    // A token issued in the future (beyond the skew) is forged or from a broken clock.
    const now = (options.now?.() ?? new Date()).getTime() / 1000;
    if ((payload.iat as number) > now + (options.clockToleranceSeconds ?? 30)) throw new HcxTokenError('ERR_HCX_TOKEN_INVALID', 'HCX token issued in the future');
    return payload as HcxTokenClaims;
  };
}

function verifyOptions(options: HcxTokenVerifierOptions) {
  return {
    // seed 002: RS256 only; pinning stops alg confusion (HS256 with the public key, none).
    algorithms: ['RS256'],
    issuer: options.hcxInstanceId,
    subject: options.hcxInstanceId,
    ...(options.participantCode ? { audience: options.participantCode } : {}),
    requiredClaims: ['jti', 'iss', 'sub', 'iat', 'exp', ...(options.participantCode ? ['aud'] : [])],
    clockTolerance: options.clockToleranceSeconds ?? 30,
    currentDate: options.now?.(),
  };
}

function keyOf(options: HcxTokenVerifierOptions): JWTVerifyGetKey | KeyObject {
  const sources = [options.jwksUrl, options.jwks, options.certificatePem].filter((source) => source !== undefined);
  if (sources.length !== 1) throw new Error('give exactly one of jwksUrl, jwks, certificatePem');
  if (options.jwksUrl) return createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: options.jwksCooldownMs ?? 30_000, timeoutDuration: 5_000 });
  if (options.jwks) return createLocalJWKSet(options.jwks);
  return new X509Certificate(options.certificatePem as string).publicKey;
}
