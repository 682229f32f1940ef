import { generateKeyPairSync } from 'node:crypto';
import { rsaKeyPair } from '../fixtures/test-keys';
import { importPrivateKey, importPublicKey } from './import';

describe('importPrivateKey / importPublicKey', () => {
  it('imports PEM PKCS#8 and PKCS#1, and private JWK, to the same key', async () => {
    const { privateKey } = await rsaKeyPair('a');
    const jwk = privateKey.export({ format: 'jwk' });
    for (const input of [
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
      privateKey.export({ type: 'pkcs1', format: 'pem' }),
      Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })),
      jwk,
      privateKey,
    ]) {
      const imported = importPrivateKey(input);
      expect(imported.type).toBe('private');
      expect(imported.export({ format: 'jwk' })).toEqual(jwk);
    }
  });

  it('imports SPKI, PKCS#1 public and public JWK', async () => {
    const { publicKey } = await rsaKeyPair('a');
    const jwk = publicKey.export({ format: 'jwk' });
    for (const input of [publicKey.export({ type: 'spki', format: 'pem' }), publicKey.export({ type: 'pkcs1', format: 'pem' }), jwk]) {
      expect(importPublicKey(input).export({ format: 'jwk' })).toEqual(jwk);
    }
  });

  it.each([
    ['a public PEM as private', (k: KeyPair) => importPrivateKey(k.publicKey.export({ type: 'spki', format: 'pem' }))],
    ['a public JWK as private', (k: KeyPair) => importPrivateKey(k.publicKey.export({ format: 'jwk' }))],
    ['a private JWK as public', (k: KeyPair) => importPublicKey(k.privateKey.export({ format: 'jwk' }))],
    ['a private PEM as public', (k: KeyPair) => importPublicKey(k.privateKey.export({ type: 'pkcs8', format: 'pem' }))],
    ['an oct JWK', () => importPrivateKey({ kty: 'oct', k: 'AAAA' })],
    ['an EC JWK', () => importPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }))],
    ['an Ed25519 PEM', () => importPublicKey(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }))],
    ['an RSA-PSS-restricted key', () => importPrivateKey(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey)],
    ['text without PEM armour', () => importPublicKey('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA')],
    ['a corrupted certificate', () => importPublicKey('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')],
    ['a number', () => importPublicKey(42 as never)],
  ])('refuses %s with ERR_KEY_INVALID', async (_name, attempt) => {
    const pair = await rsaKeyPair('a');
    expect(() => attempt(pair)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('never echoes the input in its error message', async () => {
    const { privateKey } = await rsaKeyPair('a');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const broken = pem.replace(/[A-Za-z]{20}/, 'AAAAAAAAAAAAAAAAAAAA');
    let message = '';
    try {
      importPrivateKey(broken);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('private key: could not be parsed');
  });
});

type KeyPair = Awaited<ReturnType<typeof rsaKeyPair>>;
