/** Injection tokens of the guard modules, in one place. */
export const AUTH_GUARDS_OPTIONS = Symbol.for('npi.auth-guards.options');
/** `OperatorAuthOptions` of OperatorAuthModule. */
export const OPERATOR_AUTH_OPTIONS = Symbol.for('npi.auth-guards.operator-options');
/** The HCX API-key check the strategy uses (HcxAccessModule binds it from the gateway's own verifier). */
export const HCX_API_KEY_VERIFIER = Symbol.for('npi.auth-guards.hcx-api-key-verifier');
/** A participant system's verifier of the gateway's RS256 tokens (createHcxTokenVerifier()). */
export const HCX_TOKEN_VERIFIER = Symbol.for('hcx.participant.HcxTokenVerifier');
/** The platform's clock port (same global symbol as @npi/service-runtime's CLOCK). */
export const PLATFORM_CLOCK = Symbol.for('npi.Clock');
/** The platform's MessageBroker (same global symbol as @npi/messaging's MESSAGE_BROKER). */
export { MESSAGE_BROKER } from '@npi/messaging';
