import { principalOf as principalOfRequest } from '@npi/auth-guards';
import type { OperatorPrincipal } from '@npi/auth-guards';
import type { Request } from 'express';
import type { ApiKeyPrincipal } from './api-key-verifier';

/**
 * Who called: the operator (HCX_ADMIN_TOKEN) or a participant's API key. Established by
 * `@HcxParticipant()` / `@HcxOperator()` of @npi/auth-guards (HcxAccessGuard: the operator token
 * first, then this gateway's ApiKeyVerifier, bound as HCX_API_KEY_VERIFIER).
 */
export type HcxPrincipal = OperatorPrincipal | ({ kind: 'participant' } & ApiKeyPrincipal);

/** The caller of a route behind an HCX guard decorator (never absent there: the guard refused otherwise). */
export function principalOf(request: Request): HcxPrincipal {
  const principal = principalOfRequest<HcxPrincipal>(request);
  if (!principal) throw new TypeError('route without an HCX guard decorator');
  return principal;
}
