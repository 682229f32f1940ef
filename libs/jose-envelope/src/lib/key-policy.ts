import { KeyObject } from 'node:crypto';
import { KeyInvalid, KeyTooSmall } from '../errors';

/** Seed 000 section 3.2: "All RSA keys must be at least 2048-bit". */
export const MIN_RSA_MODULUS_BITS = 2048;

export type KeyKind = 'public' | 'private';

// Keys already checked: the policy runs on every use (a caller may hand us a KeyObject that never
// went through import), so the check result is cached per KeyObject.
const checked: Record<KeyKind, WeakSet<KeyObject>> = { public: new WeakSet(), private: new WeakSet() };

/**
 * Asserts `key` is an RSA KeyObject of the given kind with a modulus of at least 2048 bits.
 * `purpose` names the role in the error message ("recipient key"); no key material is included.
 */
export function assertRsaKey(key: unknown, kind: KeyKind, purpose: string): asserts key is KeyObject {
  if (key instanceof KeyObject && checked[kind].has(key)) return;
  if (!(key instanceof KeyObject)) throw new KeyInvalid(`${purpose}: expected a KeyObject`);
  if (key.type !== kind) throw new KeyInvalid(`${purpose}: expected an RSA ${kind} key, got a ${key.type} key`);
  // 'rsa-pss' keys are restricted to PSS and cannot do OAEP; RSA keys for JOSE are plain 'rsa'.
  if (key.asymmetricKeyType !== 'rsa') throw new KeyInvalid(`${purpose}: expected an RSA key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) {
    throw new KeyTooSmall(`${purpose}: RSA modulus of ${bits} bits is under the ${MIN_RSA_MODULUS_BITS}-bit minimum`);
  }
  checked[kind].add(key);
}

export function modulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}
