// Errors (stable codes; each service's protocol filter maps them)
export {
  AuthGuardError,
  InsufficientScopeError,
  OriginNotAllowedError,
  SourceIpNotAllowedError,
  TokenExpiredError,
  TokenInvalidError,
  TokenMissingError,
  TokenRevokedError,
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
// Nest
export { HCX_TOKEN_VERIFIER, HcxTokenGuard, hcxClaimsOf } from './nest/hcx-token.guard';
export { AuthGuardsModule } from './nest/auth-guards.module';
export type { AuthGuardsOptions } from './nest/options';
export { AccessTokenVerifier } from './nest/access-token-verifier';
export { BearerTokenGuard } from './nest/bearer-token.guard';
export { SourceIpGuard } from './nest/source-ip.guard';
export { OriginGuard } from './nest/origin.guard';
export type { AllowedOriginsProvider } from './nest/origin.guard';
export { CurrentPrincipal, Public, RequireScopes } from './nest/decorators';
export { clientIpOf, principalOf } from './nest/request-state';
export { ALLOWED_ORIGINS_PROVIDER, AUTH_GUARDS_OPTIONS } from './nest/tokens';
