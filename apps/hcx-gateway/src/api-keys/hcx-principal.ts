import type { OperatorPrincipal } from '@npi/auth-guards';
import type { ApiKeyPrincipal } from './api-key-verifier';

/**
 * Who called a route behind `@HcxParticipant()` / `@HcxOperator()` of @npi/auth-guards: the operator
 * (HCX_ADMIN_TOKEN) or a participant's API key (HcxAccessGuard: the operator token first, then this
 * gateway's ApiKeyVerifier, bound as HCX_API_KEY_VERIFIER). Controllers take it as
 * `@CurrentPrincipal() principal: HcxPrincipal`.
 */
export type HcxPrincipal = OperatorPrincipal | ({ kind: 'participant' } & ApiKeyPrincipal);
