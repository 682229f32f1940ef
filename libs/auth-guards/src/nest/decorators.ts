import { SetMetadata, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { AccessTokenPrincipal } from '../checks/access-token';
import { TokenMissingError } from '../errors';
import { principalOf } from './request-state';

export const IS_PUBLIC = 'npi:auth-guards:public';
export const REQUIRED_SCOPES = 'npi:auth-guards:scopes';

/** The route (or controller) needs no access token and no source IP check. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The access token must carry every one of these scopes (ERR_INSUFFICIENT_SCOPE otherwise). */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPES, scopes);

/** The verified caller: `{clientId, subject, scopes, jti, issuedAt, expiresAt}`. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): AccessTokenPrincipal => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  // Only reachable when a route forgot BearerTokenGuard: refuse rather than run unauthenticated.
  if (!principal) throw new TokenMissingError();
  return principal;
});
