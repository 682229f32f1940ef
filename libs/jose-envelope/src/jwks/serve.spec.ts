import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { KeySet } from '../keys/key-set';
import { rsaKeyPair } from '../fixtures/test-keys';
import { toPublicJwks } from './serve';

describe('toPublicJwks', () => {
  it('publishes only the public parts, with kid, use and alg', async () => {
    const sig = await rsaKeyPair('sig');
    const enc = await rsaKeyPair('enc');
    const jwks = toPublicJwks(
      new KeySet([
        { kid: 'npi-sig-2025', key: sig.privateKey, use: 'sig' },
        { kid: 'npi-enc-2025', key: enc.privateKey, use: 'enc' },
        { kid: 'partner-sig', key: sig.publicKey, use: 'sig', alg: 'RS256' },
      ]),
    );
    expect(jwks.keys.map(({ kid, use, alg, kty }) => ({ kid, use, alg, kty }))).toEqual([
      { kid: 'npi-sig-2025', use: 'sig', alg: 'PS256', kty: 'RSA' },
      { kid: 'npi-enc-2025', use: 'enc', alg: 'RSA-OAEP-256', kty: 'RSA' },
      { kid: 'partner-sig', use: 'sig', alg: 'RS256', kty: 'RSA' },
    ]);
    for (const jwk of jwks.keys) expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const text = JSON.stringify(jwks);
    expect(text).not.toContain(String(sig.privateKey.export({ format: 'jwk' }).d));
    expect(createPublicKey({ key: jwks.keys[0] as unknown as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' })).toEqual(sig.publicKey.export({ format: 'jwk' }));
  });

  it('accepts a plain entry list and applies the key policy', async () => {
    const small = await rsaKeyPair('small', 1024);
    expect(() => toPublicJwks([{ kid: 'k', key: small.publicKey, use: 'sig' }])).toThrow(expect.objectContaining({ code: 'ERR_KEY_TOO_SMALL' }));
  });
});
