import { Inject, Injectable, Optional } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { verifyAccessToken } from '../checks/access-token';
import type { AccessTokenPrincipal } from '../checks/access-token';
import { RevokedTokenCache } from '../checks/revoked-token-cache';
import { TokenRevokedError } from '../errors';
import type { AuthGuardsOptions } from './options';
import { AUTH_GUARDS_OPTIONS, PLATFORM_CLOCK } from './tokens';

interface ClockLike {
  now(): Date;
}

/** How long a verified token's signature check is remembered (below the JWKS cache's own 10 minutes). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/**
 * Signature, claims and revocation in one call, for the guard and for code that receives tokens
 * outside HTTP. Keys come from the local JWKS or auth-service's remote JWKS; jose's remote set
 * refetches when a token names a `kid` it does not hold (key rotation), at most once per cooldown.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly clock: ClockLike;
  /**
   * Tokens whose signature and claims were verified, by the exact token string (hashing it cost more
   * than the map lookup; 10 000 tokens of under 1 KiB are a few MB): a client sends the same access
   * token with every call, and the ES256 verification dominated the check. A hit
   * re-checks expiry; revocation is checked on every call; an entry lives at most a minute (a key
   * withdrawn from the JWKS is trusted that long at most, less than the JWKS cache itself).
   */
  private readonly verified = new Map<string, { principal: AccessTokenPrincipal; until: number }>();

  constructor(
    @Inject(AUTH_GUARDS_OPTIONS) private readonly options: AuthGuardsOptions,
    @Optional() @Inject(RevokedTokenCache) private readonly revoked: RevokedTokenCache | undefined,
    @Optional() @Inject(PLATFORM_CLOCK) clock?: ClockLike,
  ) {
    this.clock = clock ?? { now: () => new Date() };
    if (options.jwks) {
      this.keys = createLocalJWKSet(options.jwks);
    } else if (options.jwksUrl) {
      this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
      });
    } else {
      throw new TypeError('AuthGuardsModule needs jwksUrl or jwks');
    }
  }

  async verify(token: string): Promise<AccessTokenPrincipal> {
    const now = this.clock.now();
    const principal = this.remembered(token, now) ?? (await this.verifySignature(token, now));
    // Without the revocation cache nobody can tell a revoked token from a good one: refuse (fail closed).
    if (!this.revoked) throw new TokenRevokedError('revocation state unavailable');
    if (this.revoked.isRevoked(principal)) throw new TokenRevokedError();
    return principal;
  }

  private remembered(token: string, now: Date): AccessTokenPrincipal | undefined {
    const hit = this.verified.get(token);
    if (!hit) return undefined;
    const toleranceMs = (this.options.clockToleranceSeconds ?? 5) * 1000;
    if (hit.until <= now.getTime() || hit.principal.expiresAt.getTime() + toleranceMs <= now.getTime()) {
      // Expired (or due for a fresh check): the full verification decides, with its own error.
      this.verified.delete(token);
      return undefined;
    }
    return { ...hit.principal };
  }

  private async verifySignature(token: string, now: Date): Promise<AccessTokenPrincipal> {
    const principal = await verifyAccessToken(token, this.keys, {
      issuer: this.options.issuer,
      audience: this.options.audience,
      now,
      clockToleranceSeconds: this.options.clockToleranceSeconds,
      algorithms: this.options.algorithms,
    });
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, until: now.getTime() + VERIFIED_TTL_MS });
    return principal;
  }
}
