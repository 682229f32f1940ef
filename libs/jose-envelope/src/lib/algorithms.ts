import { constants } from 'node:crypto';

/**
 * RSA signature algorithms (RFC 7518 section 3.3 and 3.5). HMAC, ECDSA, EdDSA and `none` are
 * deliberately absent: every key this library handles is RSA, so an `HS256` header can only be an
 * algorithm-confusion attempt (RFC 8725 section 2.1).
 */
export const JWS_ALGORITHMS = {
  PS256: { hash: 'sha256', padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
  PS384: { hash: 'sha384', padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 },
  PS512: { hash: 'sha512', padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 },
  RS256: { hash: 'sha256', padding: constants.RSA_PKCS1_PADDING, saltLength: 0 },
  RS384: { hash: 'sha384', padding: constants.RSA_PKCS1_PADDING, saltLength: 0 },
  RS512: { hash: 'sha512', padding: constants.RSA_PKCS1_PADDING, saltLength: 0 },
} as const;

export type JwsAlgorithm = keyof typeof JWS_ALGORITHMS;

/**
 * RSA key management for JWE. `RSA-OAEP` (SHA-1, RFC 7518 section 4.3) exists for peers that cannot
 * do better and is never on by default; `RSA1_5` is not implemented at all (Bleichenbacher).
 */
export const JWE_KEY_ALGORITHMS = {
  'RSA-OAEP': { oaepHash: 'sha1' },
  'RSA-OAEP-256': { oaepHash: 'sha256' },
  'RSA-OAEP-384': { oaepHash: 'sha384' },
  'RSA-OAEP-512': { oaepHash: 'sha512' },
} as const;

export type JweKeyAlgorithm = keyof typeof JWE_KEY_ALGORITHMS;

/** AES-GCM content encryption (RFC 7518 section 5.3): 96-bit IV, 128-bit tag. */
export const JWE_CONTENT_ENCRYPTIONS = {
  A128GCM: { cipher: 'aes-128-gcm', keyLength: 16 },
  A192GCM: { cipher: 'aes-192-gcm', keyLength: 24 },
  A256GCM: { cipher: 'aes-256-gcm', keyLength: 32 },
} as const;

export type JweContentEncryption = keyof typeof JWE_CONTENT_ENCRYPTIONS;

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(JWS_ALGORITHMS, value);
}

export function isJweKeyAlgorithm(value: unknown): value is JweKeyAlgorithm {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(JWE_KEY_ALGORITHMS, value);
}

export function isJweContentEncryption(value: unknown): value is JweContentEncryption {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(JWE_CONTENT_ENCRYPTIONS, value);
}

/** Seed 000 section 3.2: the sender signs with PS256; JWE is RSA-OAEP-256 with A256GCM. */
export const DEFAULT_JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['PS256'];
export const DEFAULT_JWE_KEY_ALGORITHMS: readonly JweKeyAlgorithm[] = ['RSA-OAEP-256'];
export const DEFAULT_JWE_CONTENT_ENCRYPTIONS: readonly JweContentEncryption[] = ['A256GCM'];
