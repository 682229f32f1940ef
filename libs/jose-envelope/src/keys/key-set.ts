import { KeyObject } from 'node:crypto';
import { KeyInvalid } from '../errors';
import { isJweKeyAlgorithm, isJwsAlgorithm, type JweKeyAlgorithm, type JwsAlgorithm } from '../lib/algorithms';
import { assertRsaKey } from '../lib/key-policy';

/** RFC 7517 section 4.2: a key signs (`sig`) or encrypts (`enc`), never both here. */
export type KeyUse = 'sig' | 'enc';

export interface KeyEntry {
  kid: string;
  key: KeyObject;
  use: KeyUse;
  /** RFC 7517 section 4.4: when set, the key is used with this algorithm only. */
  alg?: JwsAlgorithm | JweKeyAlgorithm;
}

/**
 * Where `open` finds keys by `kid`: a local `KeySet`, a `RemoteJwks`, or your own adapter (for
 * example over a participant registry). With `kid` undefined, return the single key of that use if
 * there is exactly one, otherwise undefined. May throw an `EnvelopeError` (e.g. `ERR_KEY_TOO_SMALL`).
 */
export interface KeyLookup {
  getKey(kid: string | undefined, use: KeyUse): Promise<KeyEntry | undefined> | KeyEntry | undefined;
}

/**
 * An in-memory set of keys selected by `kid`, e.g. this service's decryption keys while a rotation
 * has two of them active, or a partner's registered verification keys. Every key is checked against
 * the key policy on construction (RSA, >= 2048 bits); `kid`s are unique.
 */
export class KeySet implements KeyLookup {
  readonly entries: readonly KeyEntry[];
  private readonly byKid = new Map<string, KeyEntry>();

  constructor(entries: readonly KeyEntry[]) {
    for (const entry of entries) {
      if (typeof entry.kid !== 'string' || entry.kid.length === 0) throw new KeyInvalid('key set: every key needs a non-empty kid');
      if (this.byKid.has(entry.kid)) throw new KeyInvalid('key set: duplicate kid');
      if (entry.use !== 'sig' && entry.use !== 'enc') throw new KeyInvalid('key set: use must be "sig" or "enc"');
      if (entry.alg !== undefined) {
        const fits = entry.use === 'sig' ? isJwsAlgorithm(entry.alg) : isJweKeyAlgorithm(entry.alg);
        if (!fits) throw new KeyInvalid(`key set: alg does not fit use "${entry.use}"`);
      }
      assertRsaKey(entry.key, entry.key instanceof KeyObject && entry.key.type === 'private' ? 'private' : 'public', `key ${entry.kid}`);
      this.byKid.set(entry.kid, { ...entry });
    }
    this.entries = [...this.byKid.values()];
  }

  getKey(kid: string | undefined, use: KeyUse): KeyEntry | undefined {
    if (kid !== undefined) {
      const entry = this.byKid.get(kid);
      return entry?.use === use ? entry : undefined;
    }
    const candidates = this.entries.filter((entry) => entry.use === use);
    return candidates.length === 1 ? candidates[0] : undefined;
  }
}
