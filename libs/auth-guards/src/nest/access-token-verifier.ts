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

/**
 * Signature, claims and revocation in one call, for the guard and for code that receives tokens
 * outside HTTP. Keys come from the local JWKS or auth-service's remote JWKS; jose's remote set
 * refetches when a token names a `kid` it does not hold (key rotation), at most once per cooldown.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly clock: ClockLike;

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
    const principal = await verifyAccessToken(token, this.keys, {
      issuer: this.options.issuer,
      audience: this.options.audience,
      now: this.clock.now(),
      clockToleranceSeconds: this.options.clockToleranceSeconds,
      algorithms: this.options.algorithms,
    });
    // Without the revocation cache nobody can tell a revoked token from a good one: refuse (fail closed).
    if (!this.revoked) throw new TokenRevokedError('revocation state unavailable');
    if (this.revoked.isRevoked(principal)) throw new TokenRevokedError();
    return principal;
  }
}
