import { generateKeyPairSync } from 'node:crypto';
import { loadSigningKey, loadVerificationKey } from './signing-keys';

const pkcs8 = (type: 'ec' | 'rsa', options: object) =>
  (generateKeyPairSync(type as 'ec', options as never).privateKey as unknown as { export(o: object): string }).export({ type: 'pkcs8', format: 'pem' });

describe('signing keys', () => {
  it('loads EC P-256 as ES256 and RSA 2048 as PS256 with an RFC 7638 kid, publishing no private part', () => {
    const ec = loadSigningKey(pkcs8('ec', { namedCurve: 'P-256' }));
    expect(ec.alg).toBe('ES256');
    expect(ec.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ec.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: ec.kid, alg: 'ES256', use: 'sig' });
    const rsa = loadSigningKey(pkcs8('rsa', { modulusLength: 2048 }));
    expect(rsa.alg).toBe('PS256');
    expect(rsa.publicJwk).not.toHaveProperty('d');
  });

  it('the kid of a retired key loaded from its private PEM equals the kid it had when active', () => {
    const pem = pkcs8('ec', { namedCurve: 'P-256' });
    expect(loadVerificationKey(pem).kid).toBe(loadSigningKey(pem).kid);
  });

  it('refuses weak or unsupported keys with ERR_SIGNING_KEY', () => {
    expect(() => loadSigningKey(pkcs8('rsa', { modulusLength: 1024 }))).toThrow(expect.objectContaining({ code: 'ERR_SIGNING_KEY' }));
    expect(() => loadSigningKey(pkcs8('ec', { namedCurve: 'P-384' }))).toThrow(expect.objectContaining({ code: 'ERR_SIGNING_KEY' }));
    expect(() => loadSigningKey('not a pem')).toThrow(expect.objectContaining({ code: 'ERR_SIGNING_KEY' }));
  });
});
