import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { interpretSetting, readSettingFile } from '@npi/config';
import { KeySet, importPrivateKey } from '@npi/jose-envelope';
import type { SessionServiceConfig } from './config';

/** NPI Billers' own keys: one signs npiObjects, one (or two during a rotation) decrypt launch tokens. */
export interface BillersKeys {
  signing: { key: KeyObject; kid: string };
  decryption: KeySet;
  /** A retired signing key still published (its npiObjects may be in flight), public part only. */
  previousSigning?: { key: KeyObject; kid: string };
}

function keyOf(setting: string, inline: string | undefined, file: string | undefined): KeyObject {
  const pem = inline ?? readSettingFile(`${setting}_FILE`, file as string);
  return interpretSetting(inline ? setting : `${setting}_FILE`, 'does not hold a usable RSA private key (PEM, at least 2048 bits)', () => importPrivateKey(pem));
}

function publicKeyOf(setting: string, file: string): KeyObject {
  const pem = readSettingFile(setting, file);
  return interpretSetting(setting, 'does not hold a PEM public key', () => createPublicKey(pem));
}

/** Imported once at startup; a key under 2048 bits or unparseable stops the service (ERR_KEY_*). */
export function loadBillersKeys(config: SessionServiceConfig): BillersKeys {
  const signing = keyOf('BILLERS_SIGNING_KEY', config.BILLERS_SIGNING_KEY, config.BILLERS_SIGNING_KEY_FILE);
  const entries = [
    { kid: config.BILLERS_ENCRYPTION_KID, key: keyOf('BILLERS_ENCRYPTION_KEY', config.BILLERS_ENCRYPTION_KEY, config.BILLERS_ENCRYPTION_KEY_FILE), use: 'enc' as const },
  ];
  if (config.BILLERS_ENCRYPTION_KEY_PREVIOUS_FILE && config.BILLERS_ENCRYPTION_KID_PREVIOUS) {
    entries.push({ kid: config.BILLERS_ENCRYPTION_KID_PREVIOUS, key: keyOf('BILLERS_ENCRYPTION_KEY_PREVIOUS', undefined, config.BILLERS_ENCRYPTION_KEY_PREVIOUS_FILE), use: 'enc' as const });
  }
  const previousSigning =
    config.BILLERS_SIGNING_PUBLIC_KEY_PREVIOUS_FILE && config.BILLERS_SIGNING_KID_PREVIOUS
      ? { kid: config.BILLERS_SIGNING_KID_PREVIOUS, key: publicKeyOf('BILLERS_SIGNING_PUBLIC_KEY_PREVIOUS_FILE', config.BILLERS_SIGNING_PUBLIC_KEY_PREVIOUS_FILE) }
      : undefined;
  return { signing: { key: signing, kid: config.BILLERS_SIGNING_KID }, decryption: new KeySet(entries), previousSigning };
}

export interface BillersJwk extends JsonWebKey {
  kid: string;
  use: 'sig' | 'enc';
  alg: 'PS256' | 'RSA-OAEP-256';
}

/**
 * NPI Billers' public keys as a JWK Set (RFC 7517): the key that signs npiObjects (PS256) and the
 * key(s) participants encrypt launch tokens for (RSA-OAEP-256), current first. During a rotation
 * the previous keys stay listed, so a participant that refreshes its cache sees both and can move
 * over before the old key goes away. Only public members (kty, n, e) are ever exported.
 */
export function billersJwks(keys: BillersKeys): { keys: BillersJwk[] } {
  const jwk = (key: KeyObject, kid: string, use: 'sig' | 'enc'): BillersJwk => {
    const { kty, n, e } = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
    return { kty, n, e, kid, use, alg: use === 'sig' ? 'PS256' : 'RSA-OAEP-256' };
  };
  return {
    keys: [
      jwk(keys.signing.key, keys.signing.kid, 'sig'),
      ...(keys.previousSigning ? [jwk(keys.previousSigning.key, keys.previousSigning.kid, 'sig')] : []),
      ...keys.decryption.entries.filter((entry) => entry.use === 'enc').map((entry) => jwk(entry.key as KeyObject, entry.kid, 'enc')),
    ],
  };
}
