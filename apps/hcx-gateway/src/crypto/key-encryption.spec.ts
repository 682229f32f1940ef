import { randomBytes } from 'node:crypto';
import { KeyEncryption, SecretDecryptionError, clientSecretContext } from './key-encryption';

describe('KeyEncryption (AES-256-GCM under a KEK with a key id)', () => {
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');

  it('round-trips and names the active KEK in the ciphertext', () => {
    const keys = new KeyEncryption({ k1 }, 'k1');
    const sealed = keys.encrypt('the-secret', clientSecretContext('p1'));
    expect(sealed.kid).toBe('k1');
    expect(sealed.ciphertext).toMatch(/^v1\.k1\./);
    expect(sealed.ciphertext).not.toContain('the-secret');
    expect(keys.decrypt(sealed.ciphertext, clientSecretContext('p1')).toString()).toBe('the-secret');
  });

  it('opens old ciphertexts after the active KEK rotated, and writes new ones under the new key', () => {
    const before = new KeyEncryption({ k1 }, 'k1').encrypt('s', 'ctx').ciphertext;
    const after = new KeyEncryption({ k1, k2 }, 'k2');
    expect(after.decrypt(before, 'ctx').toString()).toBe('s');
    expect(after.encrypt('s', 'ctx').kid).toBe('k2');
  });

  it('refuses a ciphertext moved to another row (AAD), tampered, or under an unknown KEK', () => {
    const keys = new KeyEncryption({ k1 }, 'k1');
    const sealed = keys.encrypt('s', clientSecretContext('p1')).ciphertext;
    expect(() => keys.decrypt(sealed, clientSecretContext('p2'))).toThrow(SecretDecryptionError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x').toString('base64url');
    expect(() => keys.decrypt(parts.join('.'), clientSecretContext('p1'))).toThrow(SecretDecryptionError);
    expect(() => new KeyEncryption({ k2 }, 'k2').decrypt(sealed, clientSecretContext('p1'))).toThrow('KEK k1 is not configured');
  });

  it('rejects keys that are not 32 bytes and an active id that is not configured', () => {
    expect(() => new KeyEncryption({ k1: randomBytes(16).toString('base64') }, 'k1')).toThrow('not 32 bytes');
    expect(() => new KeyEncryption({ k1 }, 'k9')).toThrow('not configured');
  });
});
