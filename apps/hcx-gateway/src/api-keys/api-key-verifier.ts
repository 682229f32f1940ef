import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import type { Clock } from '@npi/service-runtime';
import { accessDenied } from '../errors';
import type { CachedParticipant } from '../registry/participant-cache';

/** Who a verified API key speaks for. */
export interface ApiKeyPrincipal {
  participantCode: string;
  issuer: string;
  /** The participant as the cache holds it (status already checked Active). */
  participant: CachedParticipant;
}

/** One trusted issuer. The verifier picks it by the token's (unverified) `iss`, then the issuer verifies everything. */
export interface ApiKeyIssuer {
  readonly issuer: string;
  /** `unverified`: the token's claims as the verifier already decoded them (to pick the issuer), not yet trusted. */
  verify(token: string, header: { alg?: string }, now: Date, unverified?: JWTPayload): Promise<{ participantCode: string; participant: CachedParticipant | null }>;
}

export interface ParticipantLookup {
  get(participantCode: string): Promise<CachedParticipant | null>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The built-in issuer: API keys from `/token/generate` (seed 002), HS256 over the participant's
 * client_secret. `alg` is pinned to HS256 (no `none`, no RS/HS confusion); jti, iss, sub, iat and exp
 * are mandatory; `iat` may not lie in the future beyond the skew; and because a participant holds
 * its own secret and could mint keys itself, a key may not live longer than the configured lifetime.
 */
export class Hs256ApiKeyIssuer implements ApiKeyIssuer {
  /**
   * Keys whose signature was already verified, by SHA-256 of the whole token, with the HMAC key
   * that verified them: a participant sends the same key with every call, and WebCrypto's HMAC took
   * about a tenth of the gateway's CPU under load. A hit still needs the participant's current key
   * to be that same key (a rotated secret refuses at once) and re-checks the times.
   */
  private readonly verified = new Map<string, { hmacKey: Uint8Array; payload: JWTPayload }>();

  constructor(
    readonly issuer: string,
    private readonly participants: ParticipantLookup,
    private readonly options: { clockSkewSeconds: number; maxLifetimeSeconds: number; verifiedCacheSize?: number },
  ) {}

  async verify(token: string, header: { alg?: string }, now: Date, unverified: JWTPayload = decodeJwt(token)): Promise<{ participantCode: string; participant: CachedParticipant | null }> {
    if (header.alg !== 'HS256') throw accessDenied('API key must be signed with HS256');
    if (typeof unverified.sub !== 'string' || unverified.sub.length === 0) throw accessDenied('API key has no sub');
    const participant = await this.participants.get(unverified.sub);
    if (!participant) throw accessDenied();
    const cacheKey = createHash('sha256').update(token).digest('base64url');
    const hit = this.verified.get(cacheKey);
    let payload: JWTPayload;
    if (hit && hit.hmacKey === participant.hmacKey) {
      payload = hit.payload;
      const nowSeconds = Math.floor(now.getTime() / 1000);
      if ((payload.exp as number) <= nowSeconds - this.options.clockSkewSeconds) {
        this.verified.delete(cacheKey);
        throw accessDenied('API key expired');
      }
    } else {
      ({ payload } = await jwtVerify(token, participant.hmacKey, {
        algorithms: ['HS256'],
        issuer: this.issuer,
        requiredClaims: ['jti', 'iss', 'sub', 'iat', 'exp'],
        clockTolerance: this.options.clockSkewSeconds,
        currentDate: now,
      }));
      checkTimes(payload, now, this.options);
      if (this.verified.size >= (this.options.verifiedCacheSize ?? 10_000)) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(cacheKey, { hmacKey: participant.hmacKey, payload });
    }
    checkTimes(payload, now, this.options);
    return { participantCode: payload.sub as string, participant };
  }
}

/** An external IdP (RS256/ES256 via its JWKS) whose tokens name the participant in a configured claim. */
export class ExternalApiKeyIssuer implements ApiKeyIssuer {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    readonly issuer: string,
    private readonly participants: ParticipantLookup,
    private readonly options: { jwksUrl: string; algorithms: string[]; participantClaim: string; audience?: string; clockSkewSeconds: number },
    keys?: JWTVerifyGetKey,
  ) {
    this.keys = keys ?? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }

  async verify(token: string, header: { alg?: string }, now: Date): Promise<{ participantCode: string; participant: CachedParticipant | null }> {
    if (!header.alg || !this.options.algorithms.includes(header.alg)) throw accessDenied('algorithm not accepted for this issuer');
    const { payload } = await jwtVerify(token, this.keys, {
      algorithms: this.options.algorithms,
      issuer: this.issuer,
      audience: this.options.audience,
      requiredClaims: ['exp', 'iat', this.options.participantClaim],
      clockTolerance: this.options.clockSkewSeconds,
      currentDate: now,
    });
    const participantCode = payload[this.options.participantClaim];
    if (typeof participantCode !== 'string' || participantCode.length === 0) throw accessDenied('participant claim missing');
    return { participantCode, participant: await this.participants.get(participantCode) };
  }
}

function checkTimes(payload: JWTPayload, now: Date, options: { clockSkewSeconds: number; maxLifetimeSeconds: number }): void {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (iat > nowSeconds + options.clockSkewSeconds) throw accessDenied('API key issued in the future');
  if (exp - iat > options.maxLifetimeSeconds + options.clockSkewSeconds) throw accessDenied('API key lifetime exceeds the allowed maximum');
}

/**
 * Verifies `Authorization: Bearer <API key>` against the list of trusted issuers and requires the
 * participant to be Active. Every failure is ERR_ACCESS_DENIED (401) with a short reason; jose's
 * messages are not echoed.
 */
export class ApiKeyVerifier {
  private readonly issuers: Map<string, ApiKeyIssuer>;

  constructor(
    issuers: readonly ApiKeyIssuer[],
    private readonly clock: Clock,
    /** Times each verification (the verify-stage histogram). */
    private readonly timed: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {
    this.issuers = new Map(issuers.map((issuer) => [issuer.issuer, issuer]));
  }

  async verifyAuthorization(authorization: string | undefined): Promise<ApiKeyPrincipal> {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '');
    if (!match) throw accessDenied('missing bearer API key');
    return this.verify(match[1]);
  }

  verify(token: string): Promise<ApiKeyPrincipal> {
    return this.timed(() => this.verifyUntimed(token));
  }

  private async verifyUntimed(token: string): Promise<ApiKeyPrincipal> {
    if (token.length > 8_192 || !COMPACT_JWS.test(token)) throw accessDenied('API key is not a compact JWS');
    let header: { alg?: string };
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw accessDenied('API key is not a JWT');
    }
    const iss = unverified.iss;
    const issuer = typeof iss === 'string' ? this.issuers.get(iss) : undefined;
    if (!issuer) throw accessDenied('API key issuer is not trusted');
    let result: { participantCode: string; participant: CachedParticipant | null };
    try {
      result = await issuer.verify(token, header, this.clock.now(), unverified);
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw accessDenied(reasonOf(error));
      throw error;
    }
    if (!result.participant) throw accessDenied();
    // seed 002: only Active participants may transact (blocking revokes at once).
    if (result.participant.status !== 'Active') throw accessDenied('participant is not active');
    return { participantCode: result.participantCode, issuer: issuer.issuer, participant: result.participant };
  }
}

function reasonOf(error: InstanceType<typeof joseErrors.JOSEError>): string {
  switch (error.code) {
    case 'ERR_JWT_EXPIRED':
      return 'API key expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'API key signature invalid';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `API key claim invalid: ${(error as InstanceType<typeof joseErrors.JWTClaimValidationFailed>).claim}`;
    default:
      return 'API key invalid';
  }
}
