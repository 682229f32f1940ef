// Errors (stable codes; each service's protocol filter maps them, the status table is here)
export {
  AUTH_GUARD_ERROR_STATUS,
  AuthGuardError,
  InsufficientScopeError,
  OperatorTokenRequiredError,
  OriginNotAllowedError,
  RoleNotAllowedError,
  SourceIpNotAllowedError,
  TokenExpiredError,
  TokenInvalidError,
  TokenMissingError,
  TokenRevokedError,
  authGuardStatusOf,
  isAuthGuardError,
} from './errors';
export type { AuthGuardErrorCode } from './errors';
// Plain checks (no Nest)
export { ipInCidrs, isValidCidr, normalizeIp, parseCidr, parseIp } from './checks/cidr';
export type { Cidr } from './checks/cidr';
export { parseForwardedFor, resolveClientIp } from './checks/client-ip';
export type { ClientIpInput } from './checks/client-ip';
export { missingScopes, parseScope } from './checks/scopes';
export { canonicalOrigin, isOriginAllowed } from './checks/origin';
export { bearerTokenOf, verifyAccessToken } from './checks/access-token';
export type { AccessTokenAlgorithm, AccessTokenKey, AccessTokenPrincipal, VerifyAccessTokenOptions } from './checks/access-token';
export { RevokedTokenCache } from './checks/revoked-token-cache';
export type { TokenRevocation } from './checks/revoked-token-cache';
export { ClientAllowlistCache } from './checks/client-allowlist-cache';
export type { ClientAllowlistUpdate } from './checks/client-allowlist-cache';
export { HcxTokenError, createHcxTokenVerifier } from './checks/hcx-token';
export type { HcxTokenClaims, HcxTokenErrorCode, HcxTokenVerifier, HcxTokenVerifierOptions } from './checks/hcx-token';
// Nest: passport strategies, their guards and the route decorators
export { CurrentPrincipal, FromHcxGateway, HcxOperator, HcxParticipant, NpiMember, Operator, Public, RequireScopes } from './passport/decorators';
export { AUTH_POLICY, IS_PUBLIC, REQUIRED_SCOPES } from './passport/policy';
export type { AuthPolicy } from './passport/policy';
export { HcxAccessGuard, HcxGatewayTokenGuard, NpiMemberGuard, OperatorGuard } from './passport/guards';
export { NpiMemberStrategy } from './passport/npi-member.strategy';
export { OperatorTokenStrategy } from './passport/operator.strategy';
export type { OperatorAuthOptions, OperatorPrincipal } from './passport/operator.strategy';
export { HcxApiKeyStrategy } from './passport/hcx-api-key.strategy';
export type { HcxApiKeyVerifierPort, HcxParticipantPrincipal } from './passport/hcx-api-key.strategy';
export { HcxGatewayTokenStrategy } from './passport/hcx-gateway-token.strategy';
export { RefusedCredential, RequestStrategy } from './passport/request-strategy';
export type { RouteRequirements } from './passport/request-strategy';
export { HcxAccessModule, HcxParticipantSystemModule, OperatorAuthModule } from './passport/modules';
export type { HcxAccessModuleOptions } from './passport/modules';
export { AuthGuardsModule } from './nest/auth-guards.module';
export type { AuthGuardsOptions } from './nest/options';
export { AccessTokenVerifier } from './nest/access-token-verifier';
export { clientIpOf, principalOf } from './nest/request-state';
export { AUTH_GUARDS_OPTIONS, HCX_API_KEY_VERIFIER, HCX_TOKEN_VERIFIER, OPERATOR_AUTH_OPTIONS } from './nest/tokens';
