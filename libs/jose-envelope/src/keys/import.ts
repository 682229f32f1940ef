import { KeyObject, X509Certificate, createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { KeyInvalid } from '../errors';
import { assertRsaKey } from '../lib/key-policy';

/** A key as configuration holds it: PEM text (or its bytes), a JWK object, or an imported KeyObject. */
export type KeyInput = string | Buffer | JsonWebKey | KeyObject;

export interface ImportPrivateKeyOptions {
  /** For `ENCRYPTED PRIVATE KEY` PEM. */
  passphrase?: string;
}

const PEM_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/;
const PRIVATE_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);

function pemLabel(text: string): string | undefined {
  return PEM_LABEL.exec(text)?.[1];
}

function asText(input: string | Buffer): string {
  return typeof input === 'string' ? input : input.toString('latin1');
}

/**
 * Imports an RSA private key from PEM (PKCS#8 `PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`, encrypted
 * PKCS#8 with `passphrase`) or a private JWK. Refuses non-RSA keys (`ERR_KEY_INVALID`) and moduli
 * under 2048 bits (`ERR_KEY_TOO_SMALL`, seed 000 section 3.2). Import once and reuse the KeyObject:
 * parsing is the slow part, and the private-key workers cache keys by KeyObject identity.
 */
export function importPrivateKey(input: KeyInput, options: ImportPrivateKeyOptions = {}): KeyObject {
  let key: KeyObject;
  if (input instanceof KeyObject) {
    key = input;
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const text = asText(input);
    const label = pemLabel(text);
    if (!label || !PRIVATE_LABELS.has(label)) throw new KeyInvalid('private key: expected a PEM private key (PKCS#8 or PKCS#1)');
    key = parse(() => createPrivateKey({ key: text, format: 'pem', passphrase: options.passphrase }), 'private key');
  } else if (isJwk(input)) {
    if (input.kty !== 'RSA') throw new KeyInvalid('private key: JWK "kty" must be "RSA"');
    if (typeof input.d !== 'string') throw new KeyInvalid('private key: JWK has no private part');
    key = parse(() => createPrivateKey({ key: input, format: 'jwk' }), 'private key');
  } else {
    throw new KeyInvalid('private key: unsupported input');
  }
  assertRsaKey(key, 'private', 'private key');
  return key;
}

/**
 * Imports an RSA public key from PEM (SPKI `PUBLIC KEY`, PKCS#1 `RSA PUBLIC KEY`), an X.509
 * certificate (PEM `CERTIFICATE`; the first one if a chain is given; validity dates and chain are
 * the caller's registry policy), or a public JWK. Private material is refused here: a private key
 * in a place meant for a partner's public key is a configuration leak, not something to accept.
 */
export function importPublicKey(input: KeyInput): KeyObject {
  let key: KeyObject;
  if (input instanceof KeyObject) {
    key = input;
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const text = asText(input);
    const label = pemLabel(text);
    if (label === 'CERTIFICATE') {
      key = parse(() => new X509Certificate(text).publicKey, 'certificate');
    } else if (label && PUBLIC_LABELS.has(label)) {
      key = parse(() => createPublicKey({ key: text, format: 'pem' }), 'public key');
    } else {
      throw new KeyInvalid('public key: expected a PEM public key (SPKI or PKCS#1) or an X.509 certificate');
    }
  } else if (isJwk(input)) {
    if (input.kty !== 'RSA') throw new KeyInvalid('public key: JWK "kty" must be "RSA"');
    if (input.d !== undefined) throw new KeyInvalid('public key: JWK contains private key material');
    key = parse(() => createPublicKey({ key: input, format: 'jwk' }), 'public key');
  } else {
    throw new KeyInvalid('public key: unsupported input');
  }
  assertRsaKey(key, 'public', 'public key');
  return key;
}

function isJwk(input: unknown): input is JsonWebKey {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

// OpenSSL's messages do not echo key bytes, but the original error is still dropped: one fixed
// message per input kind is all a caller needs, and nothing about the input can leak through it.
function parse(operation: () => KeyObject, what: string): KeyObject {
  try {
    return operation();
  } catch {
    throw new KeyInvalid(`${what}: could not be parsed`);
  }
}
