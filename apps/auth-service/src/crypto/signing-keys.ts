import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { interpretSetting, readSettingFile } from '@npi/config';
import type { JWK, JSONWebKeySet } from 'jose';

export type SigningAlgorithm = 'ES256' | 'PS256';

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export interface VerificationKey {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: JWK;
}

export class SigningKeyError extends Error {
  readonly code = 'ERR_SIGNING_KEY' as const;
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return 'PS256';
  throw new SigningKeyError('the access-token signing key must be EC P-256 (ES256) or RSA >= 2048 bits (PS256)');
}

function describe(publicKey: KeyObject, alg: SigningAlgorithm): VerificationKey {
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  // RFC 7638 thumbprint (required members, lexicographic order): a kid that changes whenever the
  // key does and is the same on every replica.
  const required = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: 'RSA', n: jwk.n };
  const kid = createHash('sha256').update(JSON.stringify(required)).digest('base64url');
  const publicJwk: JWK = jwk.kty === 'EC' ? { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: 'RSA', n: jwk.n, e: jwk.e };
  return { kid, alg, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

/** The active key from a PKCS#8 PEM; RFC 9068 requires an asymmetric signature with a `kid`. */
export function loadSigningKey(pem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new SigningKeyError('the access-token signing key is not a PEM private key');
  }
  const alg = algorithmOf(privateKey);
  const described = describe(createPublicKey(privateKey), alg);
  return { ...described, privateKey };
}

/** A retired key (private or public PEM) still published so tokens it signed verify until they expire. */
export function loadVerificationKey(pem: string): VerificationKey {
  let publicKey: KeyObject;
  try {
    publicKey = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  } catch {
    throw new SigningKeyError('a previous signing key is not a PEM key');
  }
  return describe(publicKey, algorithmOf(publicKey));
}

export interface KeyRing {
  active: SigningKey;
  jwks: JSONWebKeySet;
}

export function loadKeyRing(activeFile: string, previousFiles: readonly string[]): KeyRing {
  const activePem = readSettingFile('AUTH_SIGNING_KEY_FILE', activeFile);
  const active = interpretSetting('AUTH_SIGNING_KEY_FILE', `${activeFile} does not hold a usable private signing key`, () => loadSigningKey(activePem));
  const previous = previousFiles.map((file) => {
    const pem = readSettingFile('AUTH_PREVIOUS_SIGNING_KEY_FILES', file);
    return interpretSetting('AUTH_PREVIOUS_SIGNING_KEY_FILES', `${file} is not a PEM key`, () => loadVerificationKey(pem));
  });
  const keys = [active.publicJwk, ...previous.filter((key) => key.kid !== active.kid).map((key) => key.publicJwk)];
  return { active, jwks: { keys } };
}
