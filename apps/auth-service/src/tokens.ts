/** Injection tokens of auth-service's own providers. */
export const KEY_RING = Symbol.for('npi.auth.KeyRing');
export const PASSWORD_HASHER = Symbol.for('npi.auth.PasswordHasher');
