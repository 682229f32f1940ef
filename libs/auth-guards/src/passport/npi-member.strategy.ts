import { Inject, Injectable, Optional } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { bearerTokenOf } from '../checks/access-token';
import type { AccessTokenPrincipal } from '../checks/access-token';
import { parseCidr } from '../checks/cidr';
import type { Cidr } from '../checks/cidr';
import { ClientAllowlistCache } from '../checks/client-allowlist-cache';
import { resolveClientIp } from '../checks/client-ip';
import { missingScopes } from '../checks/scopes';
import { InsufficientScopeError, SourceIpNotAllowedError, TokenMissingError } from '../errors';
import { AccessTokenVerifier } from '../nest/access-token-verifier';
import type { AuthGuardsOptions } from '../nest/options';
import { setClientIp } from '../nest/request-state';
import { AUTH_GUARDS_OPTIONS } from '../nest/tokens';
import { RequestStrategy } from './request-strategy';
import type { RouteRequirements } from './request-strategy';

/**
 * An NPI member's call (seed 001 sections 7.1-7.2): `Authorization: Bearer` access token of
 * auth-service, verified offline against its JWKS (RFC 9068), not revoked, with the route's scopes,
 * from a source address in the token's client's allowlist. Checked in that order, so the first
 * failing check names the refusal. Without the allowlist cache nothing is allowed (fail closed).
 */
@Injectable()
export class NpiMemberStrategy extends PassportStrategy(RequestStrategy) implements OnModuleDestroy {
  private readonly trustedProxies: Cidr[];

  constructor(
    private readonly verifier: AccessTokenVerifier,
    @Inject(AUTH_GUARDS_OPTIONS) options: AuthGuardsOptions,
    @Optional() @Inject(ClientAllowlistCache) private readonly allowlist?: ClientAllowlistCache,
  ) {
    super('npi-member');
    this.trustedProxies = options.trustedProxies.map((proxy) => parseCidr(proxy));
  }

  async validate(request: Request, requirements: RouteRequirements): Promise<AccessTokenPrincipal> {
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) throw new TokenMissingError();
    const principal = await this.verifier.verify(token);
    const missing = missingScopes(principal.scopes, requirements.scopes ?? []);
    if (missing.length > 0) throw new InsufficientScopeError(missing);
    const ip = resolveClientIp({ peerAddress: request.socket?.remoteAddress, forwardedFor: request.headers['x-forwarded-for'], trustedProxies: this.trustedProxies });
    setClientIp(request, ip);
    if (!this.allowlist?.isAllowed(principal.clientId, ip)) throw new SourceIpNotAllowedError();
    return principal;
  }

  onModuleDestroy(): void {
    passport.unuse(this.name);
  }
}
