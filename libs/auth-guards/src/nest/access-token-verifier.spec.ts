import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { RevokedTokenCache } from '../checks/revoked-token-cache';
import { AccessTokenVerifier } from './access-token-verifier';

describe('AccessTokenVerifier (verified tokens are remembered)', () => {
  let privateKey: CryptoKey;
  let jwk: JWK;
  let current = Date.UTC(2026, 10, 25, 6, 0, 0);
  const clock = { now: () => new Date(current) };

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  });
  beforeEach(() => {
    current = Date.UTC(2026, 10, 25, 6, 0, 0);
  });

  const verifierWith = (revoked: RevokedTokenCache) => new AccessTokenVerifier({ issuer: 'http://auth', audience: 'npi', jwks: { keys: [jwk] }, trustedProxies: [] }, revoked, clock);
  const token = (jti: string, lifetimeSeconds = 300) => {
    const iat = Math.floor(current / 1000);
    return new SignJWT({ client_id: 'bank-1', scope: 'read' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer('http://auth').setAudience('npi').setSubject('user-1').setJti(jti).setIssuedAt(iat).setExpirationTime(iat + lifetimeSeconds)
      .sign(privateKey);
  };

  it('accepts a token again from memory, and refuses it once expired', async () => {
    const verifier = verifierWith(new RevokedTokenCache());
    const access = await token('j1');
    await expect(verifier.verify(access)).resolves.toMatchObject({ jti: 'j1', clientId: 'bank-1' });
    await expect(verifier.verify(access)).resolves.toMatchObject({ jti: 'j1' });
    current += 310_000;
    await expect(verifier.verify(access)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('refuses a remembered token as soon as it is revoked', async () => {
    const revoked = new RevokedTokenCache();
    const verifier = verifierWith(revoked);
    const access = await token('j2');
    await verifier.verify(access);
    revoked.apply({ jtis: ['j2'], expiresAt: new Date(current + 300_000).toISOString() });
    await expect(verifier.verify(access)).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' });
  });

  it('never remembers a token whose signature fails', async () => {
    const verifier = verifierWith(new RevokedTokenCache());
    const good = await token('j3');
    const forged = `${good.slice(0, good.lastIndexOf('.') + 1)}${'A'.repeat(86)}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
  });
});
