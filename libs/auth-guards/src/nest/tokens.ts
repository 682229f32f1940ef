/** Injection tokens of the guard module. */
export const AUTH_GUARDS_OPTIONS = Symbol.for('npi.auth-guards.options');
/** Optional provider of the origins allowed for a request (OriginGuard), see AllowedOriginsProvider. */
export const ALLOWED_ORIGINS_PROVIDER = Symbol.for('npi.auth-guards.allowed-origins');
/** The platform's clock port (same global symbol as @npi/service-runtime's CLOCK). */
export const PLATFORM_CLOCK = Symbol.for('npi.Clock');
/** The platform's MessageBroker (same global symbol as @npi/messaging's MESSAGE_BROKER). */
export { MESSAGE_BROKER } from '@npi/messaging';
