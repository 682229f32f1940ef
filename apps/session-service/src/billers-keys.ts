import fs from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { KeySet, importPrivateKey } from '@npi/jose-envelope';
import type { SessionServiceConfig } from './config';

/** NPI Billers' own keys: one signs npiObjects, one (or two during a rotation) decrypt launch tokens. */
export interface BillersKeys {
  signing: { key: KeyObject; kid: string };
  decryption: KeySet;
}

export const BILLERS_KEYS = Symbol.for('npi.session.BillersKeys');

function pemOf(inline: string | undefined, file: string | undefined): string {
  return inline ?? fs.readFileSync(file as string, 'utf8');
}

/** Imported once at startup; a key under 2048 bits or unparseable stops the service (ERR_KEY_*). */
export function loadBillersKeys(config: SessionServiceConfig): BillersKeys {
  const signing = importPrivateKey(pemOf(config.BILLERS_SIGNING_KEY, config.BILLERS_SIGNING_KEY_FILE));
  const entries = [
    { kid: config.BILLERS_ENCRYPTION_KID, key: importPrivateKey(pemOf(config.BILLERS_ENCRYPTION_KEY, config.BILLERS_ENCRYPTION_KEY_FILE)), use: 'enc' as const },
  ];
  if (config.BILLERS_ENCRYPTION_KEY_PREVIOUS_FILE && config.BILLERS_ENCRYPTION_KID_PREVIOUS) {
    entries.push({ kid: config.BILLERS_ENCRYPTION_KID_PREVIOUS, key: importPrivateKey(fs.readFileSync(config.BILLERS_ENCRYPTION_KEY_PREVIOUS_FILE, 'utf8')), use: 'enc' as const });
  }
  return { signing: { key: signing, kid: config.BILLERS_SIGNING_KID }, decryption: new KeySet(entries) };
}
