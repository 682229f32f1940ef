import { KeyObject, createPublicKey } from 'node:crypto';
import { KeySet, type KeyEntry, type KeyUse } from '../keys/key-set';
import { assertRsaKey } from '../lib/key-policy';

/** One public key as published in a JWKS (RFC 7517 section 4). */
export interface PublicJwk {
  kty: 'RSA';
  kid: string;
  use: KeyUse;
  alg: string;
  n: string;
  e: string;
}

export interface PublicJwks {
  keys: PublicJwk[];
}

const DEFAULT_ALG: Record<KeyUse, string> = { sig: 'PS256', enc: 'RSA-OAEP-256' };
const exported = new WeakMap<KeyObject, { n: string; e: string }>();

/**
 * The public half of every key in a key set, as a JWKS document to serve at e.g.
 * `/.well-known/jwks.json`, each key with `kid`, `use` and `alg` (the entry's `alg`, or PS256 for
 * `sig` and RSA-OAEP-256 for `enc`). Private keys are reduced to `n` and `e`: nothing else leaves.
 * During a rotation, list both the old and the new key so partners can pick either by `kid`.
 */
export function toPublicJwks(keys: KeySet | readonly KeyEntry[]): PublicJwks {
  const entries = keys instanceof KeySet ? keys.entries : new KeySet(keys).entries;
  return {
    keys: entries.map((entry) => {
      const { n, e } = publicParts(entry.key);
      return { kty: 'RSA', kid: entry.kid, use: entry.use, alg: entry.alg ?? DEFAULT_ALG[entry.use], n, e };
    }),
  };
}

function publicParts(key: KeyObject): { n: string; e: string } {
  let parts = exported.get(key);
  if (!parts) {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    assertRsaKey(publicKey, 'public', 'JWKS key');
    const jwk = publicKey.export({ format: 'jwk' });
    parts = { n: String(jwk.n), e: String(jwk.e) };
    exported.set(key, parts);
  }
  return parts;
}
