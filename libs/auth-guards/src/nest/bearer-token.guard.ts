import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { bearerTokenOf } from '../checks/access-token';
import { missingScopes } from '../checks/scopes';
import { InsufficientScopeError, TokenMissingError } from '../errors';
import { AccessTokenVerifier } from './access-token-verifier';
import { IS_PUBLIC, REQUIRED_SCOPES } from './decorators';
import { setPrincipal } from './request-state';

/** RFC 6750 bearer token: verified offline (RFC 9068), not revoked, with the scopes the route requires. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) throw new TokenMissingError();
    const principal = await this.verifier.verify(token);
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
    const missing = missingScopes(principal.scopes, required);
    if (missing.length > 0) throw new InsufficientScopeError(missing);
    setPrincipal(request, principal);
    return true;
  }
}
