import { constants, KeyObject, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { readPfx } from './keys/pfx';
import { tokenStringBytes } from './lib/encoding';

/** Signs token strings with one PKCS#12 key, parsed once. */
export interface Signer {
  /**
   * SHA256withRSA (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 section 8.2) over the UTF-8 bytes of
   * `tokenString`, base64-encoded (RFC 4648 section 4, padded, one line): the `token` value.
   */
  sign(tokenString: string): string;
  /** The same signature over arbitrary bytes (an answer body exactly as sent), base64-encoded. */
  signBytes(bytes: Uint8Array): string;
  /**
   * `sign` and `signBytes` computed on the libuv thread pool: the same signature, while the event
   * loop serves other requests (an RSA-2048 signature is a few hundred microseconds of CPU).
   */
  signAsync(tokenString: string): Promise<string>;
  signBytesAsync(bytes: Uint8Array): Promise<string>;
  /** The certificate for the key, from the same PFX (publish it to counterparties). */
  readonly certificate: X509Certificate;
  /** The same certificate as PEM. */
  readonly certificatePem: string;
  /** RSA modulus length of the key, in bits (at least 2048). */
  readonly modulusLength: number;
}

class PfxSigner implements Signer {
  readonly #privateKey: KeyObject;
  readonly certificate: X509Certificate;
  readonly modulusLength: number;

  constructor(privateKey: KeyObject, certificate: X509Certificate, modulusLength: number) {
    this.#privateKey = privateKey;
    this.certificate = certificate;
    this.modulusLength = modulusLength;
  }

  get certificatePem(): string {
    return this.certificate.toString();
  }

  sign(tokenString: string): string {
    // seed 001 section 7.4: "digitally signed by the client's private key (pfx) using SHA256withRSA
    // ... encoded in base 64 format".
    return cryptoSign('sha256', tokenStringBytes(tokenString), {
      key: this.#privateKey,
      padding: constants.RSA_PKCS1_PADDING,
    }).toString('base64');
  }

  signBytes(bytes: Uint8Array): string {
    return cryptoSign('sha256', bytes, { key: this.#privateKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
  }

  signAsync(tokenString: string): Promise<string> {
    return this.signBytesAsync(tokenStringBytes(tokenString));
  }

  signBytesAsync(bytes: Uint8Array): Promise<string> {
    return new Promise((resolve, reject) => {
      // With a callback, node:crypto signs on the thread pool.
      cryptoSign('sha256', bytes, { key: this.#privateKey, padding: constants.RSA_PKCS1_PADDING }, (error, signature) => (error ? reject(error) : resolve(signature.toString('base64'))));
    });
  }
}

/**
 * Parses a PKCS#12 file once and returns a signer holding its private key as a `KeyObject`.
 * Call it at startup: a wrong passphrase or an unusable file throws, so the service stops there
 * with a clear message.
 *
 * @throws CredentialError `ERR_PFX_INVALID` (not PKCS#12, no or several keys, not RSA, no
 *   certificate for the key), `ERR_PFX_PASSPHRASE`, `ERR_KEY_TOO_SMALL` (under 2048 bits).
 */
export function loadSigner(pfx: Uint8Array, passphrase: string): Signer {
  const { privateKey, certificate, modulusLength } = readPfx(pfx, passphrase);
  return new PfxSigner(privateKey, certificate, modulusLength);
}

/**
 * One-shot `loadSigner(pfx, passphrase).sign(tokenString)`. Parsing a PFX costs far more than
 * signing (node-forge's key derivation is pure JavaScript): anything that signs more than once
 * should hold a `Signer`.
 */
export function sign(tokenString: string, pfx: Uint8Array, passphrase: string): string {
  return loadSigner(pfx, passphrase).sign(tokenString);
}
