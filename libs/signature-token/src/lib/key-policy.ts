import type { KeyObject } from 'node:crypto';

/**
 * NCHL issues members' certificates for 2048-bit RSA keys (docs/npi-reference.md "Keys"); anything
 * smaller is refused on both sides, for signing and for verifying.
 */
export const MINIMUM_RSA_MODULUS_BITS = 2048;

/** The modulus length of an RSA (PKCS#1 v1.5 capable) key, or undefined for any other key type. */
export function rsaModulusLength(key: KeyObject): number | undefined {
  // 'rsa-pss' keys are excluded on purpose: SHA256withRSA is PKCS#1 v1.5 and such keys refuse it.
  if (key.asymmetricKeyType !== 'rsa') return undefined;
  return key.asymmetricKeyDetails?.modulusLength;
}
