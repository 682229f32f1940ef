import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { parseCidr } from '../checks/cidr';
import type { Cidr } from '../checks/cidr';
import { ClientAllowlistCache } from '../checks/client-allowlist-cache';
import { resolveClientIp } from '../checks/client-ip';
import { SourceIpNotAllowedError, TokenMissingError } from '../errors';
import { IS_PUBLIC } from './decorators';
import type { AuthGuardsOptions } from './options';
import { principalOf, setClientIp } from './request-state';
import { AUTH_GUARDS_OPTIONS } from './tokens';

/**
 * Seed 001 section 7.1: the request's source address must be in the calling client's allowlist.
 * Runs after BearerTokenGuard (it needs the client id): `@UseGuards(BearerTokenGuard, SourceIpGuard)`.
 */
@Injectable()
export class SourceIpGuard implements CanActivate {
  private readonly trustedProxies: Cidr[];

  constructor(
    private readonly reflector: Reflector,
    private readonly allowlist: ClientAllowlistCache,
    @Inject(AUTH_GUARDS_OPTIONS) options: AuthGuardsOptions,
  ) {
    this.trustedProxies = options.trustedProxies.map((proxy) => parseCidr(proxy));
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(request);
    if (!principal) throw new TokenMissingError();
    const ip = resolveClientIp({ peerAddress: request.socket.remoteAddress, forwardedFor: request.headers['x-forwarded-for'], trustedProxies: this.trustedProxies });
    setClientIp(request, ip);
    if (!this.allowlist.isAllowed(principal.clientId, ip)) throw new SourceIpNotAllowedError();
    return true;
  }
}
