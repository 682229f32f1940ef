import { SetMetadata, UseGuards, applyDecorators, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import { TokenMissingError } from '../errors';
import { principalOf } from '../nest/request-state';
import { HcxAccessGuard, HcxGatewayTokenGuard, NpiMemberGuard, OperatorGuard } from './guards';
import { AUTH_POLICY, IS_PUBLIC, REQUIRED_SCOPES } from './policy';
import type { AuthPolicy } from './policy';

type RouteDecorator = MethodDecorator & ClassDecorator;

const policy = (name: AuthPolicy, guard: Parameters<typeof UseGuards>[0]): RouteDecorator =>
  applyDecorators(SetMetadata(AUTH_POLICY, name), UseGuards(guard)) as RouteDecorator;

/**
 * An NPI member API (seed 001): access token of auth-service (JWKS, revocation) from an allowed
 * source address; with scopes, the token must carry each of them. Needs `AuthGuardsModule.forRoot`.
 */
export const NpiMember = (...scopes: string[]): RouteDecorator =>
  applyDecorators(policy('npi-member', NpiMemberGuard), ...(scopes.length > 0 ? [SetMetadata(REQUIRED_SCOPES, scopes)] : [])) as RouteDecorator;

/** The operator's admin API: `Bearer <operator token>`. Needs `OperatorAuthModule.forRoot`. */
export const Operator = (): RouteDecorator => policy('operator', OperatorGuard);

/**
 * hcx-gateway: a participant's API key. `{ orOperator: true }` also admits the operator token.
 * Needs `OperatorAuthModule.forRoot` and `HcxAccessModule.forRoot`.
 */
export const HcxParticipant = (options: { orOperator?: boolean } = {}): RouteDecorator =>
  policy(options.orOperator ? 'hcx-participant-or-operator' : 'hcx-participant', HcxAccessGuard);

/** hcx-gateway's operator routes: the operator token; a valid participant API key is refused with 403. */
export const HcxOperator = (): RouteDecorator => policy('hcx-operator', HcxAccessGuard);

/** A participant system's endpoints called by the HCX gateway (RS256). Needs `HcxParticipantSystemModule.forRoot`. */
export const FromHcxGateway = (): RouteDecorator => policy('hcx-gateway', HcxGatewayTokenGuard);

/**
 * No credential checked by a guard: the route is open (health, JWKS, documents) or authenticates the
 * caller itself from its body or query (OAuth token endpoint, `/token/generate`, Billers launch
 * token, page cookie). On a method it also lifts the controller's guard decorator.
 */
export const Public = (): RouteDecorator => applyDecorators(SetMetadata(AUTH_POLICY, 'public'), SetMetadata(IS_PUBLIC, true)) as RouteDecorator;

/** The access token must carry every one of these scopes (ERR_INSUFFICIENT_SCOPE otherwise); with `@NpiMember()`. */
export const RequireScopes = (...scopes: string[]): RouteDecorator => SetMetadata(REQUIRED_SCOPES, scopes) as RouteDecorator;

/**
 * The caller the route's guard established: `AccessTokenPrincipal` (`@NpiMember`), `OperatorPrincipal`
 * (`@Operator`), `{kind: 'participant' | 'operator', ...}` (hcx-gateway), `HcxTokenClaims` (`@FromHcxGateway`).
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  // Only reachable on a route without a guard decorator: refuse rather than run unauthenticated.
  if (!principal) throw new TokenMissingError();
  return principal;
});
