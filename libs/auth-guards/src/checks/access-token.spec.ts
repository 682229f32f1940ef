import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTVerifyGetKey } from 'jose';
import { AuthGuardError } from '../errors';
import { bearerTokenOf, verifyAccessToken } from './access-token';

const ISSUER = 'https://auth.npi.test';
const AUDIENCE = 'payment-service';
const NOW = new Date('2026-11-25T06:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe('verifyAccessToken', () => {
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  let keys: JWTVerifyGetKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    keys = createLocalJWKSet({ keys: [jwk] });
  });

  function token(over: { claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: CryptoKey; omit?: string[] } = {}) {
    const claims: Record<string, unknown> = {
      iss: ISSUER,
      sub: 'alice',
      aud: AUDIENCE,
      client_id: 'bank-a',
      scope: 'read write trust',
      jti: 'jti-1',
      iat: seconds(NOW),
      exp: seconds(NOW) + 300,
      ...over.claims,
    };
    for (const name of over.omit ?? []) delete claims[name];
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1', ...over.header } as never).sign(over.key ?? privateKey);
  }

  const verify = (jwt: string, now = NOW) => verifyAccessToken(jwt, keys, { issuer: ISSUER, audience: AUDIENCE, now });
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AuthGuardError) return error.code;
      throw error;
    }
    return 'accepted';
  };

  it('returns the principal of a valid RFC 9068 token', async () => {
    const principal = await verify(await token());
    expect(principal).toEqual({
      clientId: 'bank-a',
      subject: 'alice',
      scopes: ['read', 'write', 'trust'],
      jti: 'jti-1',
      issuedAt: NOW,
      expiresAt: new Date(NOW.getTime() + 300_000),
    });
  });

  it('rejects an expired token with ERR_TOKEN_EXPIRED (injected clock)', async () => {
    const jwt = await token();
    await expect(verify(jwt, new Date(NOW.getTime() + 299_000))).resolves.toBeDefined();
    expect(await codeOf(verify(jwt, new Date(NOW.getTime() + 306_000)))).toBe('ERR_TOKEN_EXPIRED');
  });

  it('rejects a token whose typ is not at+jwt (an ID token or other JWT)', async () => {
    expect(await codeOf(verify(await token({ header: { typ: 'JWT' } })))).toBe('ERR_TOKEN_INVALID');
  });

  it('rejects a wrong issuer, a wrong audience and a token from the future', async () => {
    expect(await codeOf(verify(await token({ claims: { iss: 'https://evil.test' } })))).toBe('ERR_TOKEN_INVALID');
    expect(await codeOf(verify(await token({ claims: { aud: 'session-service' } })))).toBe('ERR_TOKEN_INVALID');
    expect(await codeOf(verify(await token({ claims: { iat: seconds(NOW) + 60, exp: seconds(NOW) + 360 } })))).toBe('ERR_TOKEN_INVALID');
  });

  it.each(['iat', 'exp', 'jti', 'client_id', 'sub'])('rejects a token without %s', async (claim) => {
    expect(await codeOf(verify(await token({ omit: [claim] })))).toBe('ERR_TOKEN_INVALID');
  });

  it('rejects a token signed by another key, an unknown kid, alg none and garbage', async () => {
    expect(await codeOf(verify(await token({ key: otherKey })))).toBe('ERR_TOKEN_INVALID');
    expect(await codeOf(verify(await token({ header: { kid: 'k2' } })))).toBe('ERR_TOKEN_INVALID');
    const [header, payload] = (await token()).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    expect(await codeOf(verify(none))).toBe('ERR_TOKEN_INVALID');
    expect(await codeOf(verify(`${header}.${payload}.AAAA`))).toBe('ERR_TOKEN_INVALID');
    expect(await codeOf(verify('not-a-jwt'))).toBe('ERR_TOKEN_INVALID');
  });

  it('rejects, even when signed with the real key, header parameters the issuer never writes and claims named twice', async () => {
    for (const extra of [{ zip: 'DEF' }, { jku: 'https://attacker.example/jwks.json' }, { x5u: 'https://attacker.example/c.pem' }, { cty: 'JWT' }]) {
      expect(await codeOf(verify(await token({ header: extra })))).toBe('ERR_TOKEN_INVALID');
    }
    const [header] = (await token()).split('.');
    const { CompactSign } = await import('jose');
    const doubled = `{"sub":"mallory","client_id":"bank-b",${JSON.stringify({ iss: ISSUER, sub: 'alice', aud: AUDIENCE, client_id: 'bank-a', jti: 'j', iat: seconds(NOW), exp: seconds(NOW) + 300 }).slice(1)}`;
    const signed = await new CompactSign(new TextEncoder().encode(doubled)).setProtectedHeader(JSON.parse(Buffer.from(header, 'base64url').toString())).sign(privateKey);
    expect(await codeOf(verify(signed))).toBe('ERR_TOKEN_INVALID');
    expect(await codeOf(verify(await token()))).toBe('accepted');
  });

  it('rejects an HMAC token even when the algorithm list is tampered with', async () => {
    await expect(verifyAccessToken('x.y.z', keys, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256' as never] })).rejects.toThrow(TypeError);
    const hmac = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'a', client_id: 'c', jti: 'j', iat: seconds(NOW), exp: seconds(NOW) + 60 })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
      .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
    expect(await codeOf(verify(hmac))).toBe('ERR_TOKEN_INVALID');
  });
});

describe('bearerTokenOf', () => {
  it('extracts the token of a Bearer header only', () => {
    expect(bearerTokenOf('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerTokenOf('bearer abc.def-_ghi')).toBe('abc.def-_ghi');
    expect(bearerTokenOf('Basic Zm9vOmJhcg==')).toBeUndefined();
    expect(bearerTokenOf('Bearer ')).toBeUndefined();
    expect(bearerTokenOf('Bearer a b')).toBeUndefined();
    expect(bearerTokenOf(undefined)).toBeUndefined();
  });
});
