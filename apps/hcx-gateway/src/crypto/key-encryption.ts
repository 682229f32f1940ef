import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class SecretDecryptionError extends Error {
  readonly code = 'ERR_SECRET_DECRYPTION' as const;
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * AES-256-GCM envelope for secrets at rest (seed 002: "client_secret ... stored in the participant
 * registry in an encrypted format"). Format: `v1.<kid>.<iv>.<ciphertext>.<tag>` (base64url). The
 * key id lets the KEK rotate: new writes use the active key, old ciphertexts still open with the
 * key they name. `context` is bound as AAD so a ciphertext copied onto another row does not open.
 */
export class KeyEncryption {
  private readonly keys: Map<string, Buffer>;

  constructor(
    keys: Record<string, string>,
    readonly activeKid: string,
  ) {
    this.keys = new Map(Object.entries(keys).map(([kid, key]) => [kid, Buffer.from(key, 'base64')]));
    for (const [kid, key] of this.keys) if (key.length !== 32) throw new Error(`KEK ${kid} is not 32 bytes`);
    if (!this.keys.has(activeKid)) throw new Error(`active KEK ${activeKid} is not configured`);
  }

  encrypt(plaintext: string | Buffer, context: string): { ciphertext: string; kid: string } {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKid) as Buffer, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    const parts = ['v1', this.activeKid, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')];
    return { ciphertext: parts.join('.'), kid: this.activeKid };
  }

  decrypt(ciphertext: string, context: string): Buffer {
    const parts = ciphertext.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new SecretDecryptionError('unknown ciphertext format');
    const [, kid, iv, body, tag] = parts;
    const key = this.keys.get(kid);
    if (!key) throw new SecretDecryptionError(`KEK ${kid} is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    } catch {
      throw new SecretDecryptionError('ciphertext does not authenticate');
    }
  }
}

/** AAD of a participant's client_secret: binds the ciphertext to its row. */
export const clientSecretContext = (participantCode: string) => `hcx.participant.client_secret:${participantCode}`;
export const signingKeyContext = (kid: string) => `hcx.signing_key:${kid}`;
