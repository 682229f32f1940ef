// Participant-side verifier of HCX RS256 tokens. Lives here until libs/auth-guards can host it
// (see README "Where the participant verifier should live"); nothing outside this app imports it.
export { HcxTokenError, createHcxTokenVerifier } from './verify-hcx-token';
export type { HcxTokenClaims, HcxTokenErrorCode, HcxTokenVerifier, HcxTokenVerifierOptions } from './verify-hcx-token';
export { HCX_TOKEN_VERIFIER, HcxTokenGuard, hcxClaimsOf } from './hcx-token.guard';
