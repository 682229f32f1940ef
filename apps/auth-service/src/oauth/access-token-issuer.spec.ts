import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { AuthServiceConfig } from '../config';
import { loadSigningKey } from '../crypto/signing-keys';
import type { KeyRing } from '../crypto/signing-keys';
import { AccessTokenIssuer } from './access-token-issuer';

const pkcs8 = (type: 'ec' | 'rsa', options: object) =>
  (generateKeyPairSync(type as 'ec', options as never).privateKey as unknown as { export(o: object): string }).export({ type: 'pkcs8', format: 'pem' });

const config = { AUTH_ISSUER: 'https://auth.example', AUTH_AUDIENCE: 'npi' } as AuthServiceConfig;

describe('AccessTokenIssuer', () => {
  it.each([
    ['ES256', () => pkcs8('ec', { namedCurve: 'P-256' })],
    ['PS256', () => pkcs8('rsa', { modulusLength: 2048 })],
  ] as const)('issues an RFC 9068 %s token that jose verifies against the published key set', async (alg, pem) => {
    const active = loadSigningKey(pem());
    const keys: KeyRing = { active, jwks: { keys: [active.publicJwk] } };
    const now = new Date('2026-03-01T10:00:00Z');
    const issued = await new AccessTokenIssuer(keys, config).issue({ clientId: 'member-1', subject: 'alice', scope: 'read write', now, ttlSeconds: 300 });
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg, typ: 'at+jwt', kid: active.kid });
    const { payload } = await jwtVerify(issued.token, createLocalJWKSet(keys.jwks), { issuer: config.AUTH_ISSUER, audience: 'npi', typ: 'at+jwt', algorithms: [alg], currentDate: now });
    expect(payload).toEqual({ iss: config.AUTH_ISSUER, aud: 'npi', sub: 'alice', client_id: 'member-1', scope: 'read write', iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 300, jti: issued.jti });
    expect(issued.expiresAt.getTime() - issued.issuedAt.getTime()).toBe(300_000);
  });

  it('a token whose payload is altered after signing no longer verifies', async () => {
    const active = loadSigningKey(pkcs8('ec', { namedCurve: 'P-256' }));
    const keys: KeyRing = { active, jwks: { keys: [active.publicJwk] } };
    const now = new Date();
    const { token } = await new AccessTokenIssuer(keys, config).issue({ clientId: 'member-1', subject: 'alice', scope: 'read', now, ttlSeconds: 300 });
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'admin' })).toString('base64url');
    await expect(jwtVerify(`${header}.${forged}.${signature}`, createLocalJWKSet(keys.jwks), { issuer: config.AUTH_ISSUER, audience: 'npi' })).rejects.toThrow(/signature/);
  });
});
