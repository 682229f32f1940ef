import { KeyObject, constants, privateDecrypt, sign } from 'node:crypto';
import { JWE_KEY_ALGORITHMS, JWS_ALGORITHMS, type JweKeyAlgorithm, type JwsAlgorithm } from './algorithms';

/**
 * The two RSA private-key operations of an envelope: the only expensive steps (about 1 ms each on a
 * 2048-bit key, against tens of microseconds for everything else). Implemented in-process here and
 * on worker threads by `PrivateKeyPool`.
 */
export interface PrivateOperations {
  sign(key: KeyObject, alg: JwsAlgorithm, signingInput: Uint8Array): Promise<Buffer>;
  /** The unwrapped CEK, or undefined when OAEP decoding fails (the caller must not say why). */
  unwrap(key: KeyObject, alg: JweKeyAlgorithm, encryptedKey: Uint8Array): Promise<Buffer | undefined>;
}

export function signSync(key: KeyObject, alg: JwsAlgorithm, signingInput: Uint8Array): Buffer {
  const { hash, padding, saltLength } = JWS_ALGORITHMS[alg];
  return sign(hash, signingInput, { key, padding, saltLength });
}

export function unwrapSync(key: KeyObject, alg: JweKeyAlgorithm, encryptedKey: Uint8Array): Buffer | undefined {
  try {
    return privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: JWE_KEY_ALGORITHMS[alg].oaepHash },
      encryptedKey,
    );
  } catch {
    return undefined;
  }
}

/** `offload: false`: everything on the calling thread (blocks the event loop ~1 ms per operation). */
export const inProcessOperations: PrivateOperations = {
  sign: (key, alg, signingInput) => Promise.resolve(signSync(key, alg, signingInput)),
  unwrap: (key, alg, encryptedKey) => Promise.resolve(unwrapSync(key, alg, encryptedKey)),
};
