import { KeyObject, randomUUID } from 'node:crypto';
import { AlgNotAllowed, ClaimInvalid, KeyInvalid } from './errors';
import {
  isJweContentEncryption,
  isJweKeyAlgorithm,
  isJwsAlgorithm,
  type JweContentEncryption,
  type JweKeyAlgorithm,
  type JwsAlgorithm,
} from './lib/algorithms';
import { encryptCompactJwe } from './lib/jwe';
import { signCompactJws } from './lib/jws';
import { assertRsaKey } from './lib/key-policy';
import { privateOperations, type Offload } from './lib/options';

/** A JWT claims set: registered claims (RFC 7519 section 4.1) plus any private claims. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

export interface SealSigner {
  /** The sender's RSA private key (>= 2048 bits), imported once with `importPrivateKey`. */
  signingKey: KeyObject;
  /** `kid` of the signing key, as the recipient knows it (their copy of our JWKS/certificate). */
  kid: string;
  /** Default PS256 (seed 000 section 3.2, step 1). */
  alg?: JwsAlgorithm;
}

export interface SealRecipient {
  /** The recipient's RSA public key (>= 2048 bits). */
  recipientKey: KeyObject;
  /** `kid` of the recipient's key; lets the recipient pick among keys during rotation. */
  kid: string;
  /** Default RSA-OAEP-256 (seed 000 section 3.2, step 2). */
  alg?: JweKeyAlgorithm;
  /** Default A256GCM. */
  enc?: JweContentEncryption;
}

export interface SealOptions {
  /** Adds `iat` = now. */
  issuedAt?: boolean;
  /** Adds `iat` = now and `exp` = now + `expiresIn` seconds. */
  expiresIn?: number;
  /** Adds a random `jti` (UUID v4), for recipients that guard replays by `jti`. */
  jti?: boolean;
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** Where the RSA signing runs; default true (worker pool). */
  offload?: Offload;
}

/**
 * Seals `claims` for one recipient as a nested JWT: a JWS (`typ: "JWT"`, PS256 by default) inside a
 * compact JWE (`alg: RSA-OAEP-256`, `enc: A256GCM`, `cty: "JWT"`, `kid` of the recipient key), as
 * seed 000 section 3.2 prescribes and RFC 7519 section 5.2 spells out for nested JWTs.
 *
 * Claims are signed as given, apart from `iat`/`exp`/`jti` when the options ask for them.
 */
export async function seal(claims: JwtClaims, signer: SealSigner, recipient: SealRecipient, options: SealOptions = {}): Promise<string> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new ClaimInvalid('claims must be a JSON object', '*');
  const alg = signer.alg ?? 'PS256';
  const keyAlg = recipient.alg ?? 'RSA-OAEP-256';
  const enc = recipient.enc ?? 'A256GCM';
  if (!isJwsAlgorithm(alg)) throw new AlgNotAllowed('JWS alg is not supported');
  if (!isJweKeyAlgorithm(keyAlg)) throw new AlgNotAllowed('JWE alg is not supported');
  if (!isJweContentEncryption(enc)) throw new AlgNotAllowed('JWE enc is not supported');
  if (typeof signer.kid !== 'string' || signer.kid.length === 0) throw new KeyInvalid('signing key: kid is required');
  if (typeof recipient.kid !== 'string' || recipient.kid.length === 0) throw new KeyInvalid('recipient key: kid is required');
  assertRsaKey(signer.signingKey, 'private', 'signing key');
  assertRsaKey(recipient.recipientKey, 'public', 'recipient key');

  const body: JwtClaims = { ...claims };
  if (options.issuedAt || options.expiresIn !== undefined) {
    const now = Math.floor((options.now ?? Date.now)() / 1000);
    body.iat = now;
    if (options.expiresIn !== undefined) {
      if (!Number.isFinite(options.expiresIn) || options.expiresIn <= 0) throw new ClaimInvalid('expiresIn must be a positive number of seconds', 'exp');
      body.exp = now + Math.floor(options.expiresIn);
    }
  }
  if (options.jti) body.jti = randomUUID();

  let payload: string;
  try {
    payload = JSON.stringify(body);
  } catch {
    throw new ClaimInvalid('claims are not serialisable as JSON', '*');
  }
  const jws = await signCompactJws({ alg, kid: signer.kid, typ: 'JWT' }, payload, signer.signingKey, privateOperations(options.offload));
  return encryptCompactJwe({ alg: keyAlg, enc, cty: 'JWT', kid: recipient.kid }, jws, recipient.recipientKey);
}
