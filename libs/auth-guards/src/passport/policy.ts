/**
 * Which credential a route takes. Every guard decorator records it next to its guard, so a class
 * default can be overridden per route (the most specific wins) and tools can list every route's
 * policy (tools/lint/route-guards.spec.ts).
 */
export type AuthPolicy = 'public' | 'npi-member' | 'operator' | 'hcx-participant' | 'hcx-operator' | 'hcx-participant-or-operator' | 'hcx-gateway';

export const AUTH_POLICY = 'npi:auth-guards:policy';
export const IS_PUBLIC = 'npi:auth-guards:public';
export const REQUIRED_SCOPES = 'npi:auth-guards:scopes';
