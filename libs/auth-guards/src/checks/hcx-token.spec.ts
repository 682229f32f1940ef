import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { HcxTokenError, createHcxTokenVerifier } from './hcx-token';

const HCX = 'hcx-instance-01';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

function token(key: SigningKey, claims: { iss?: string; sub?: string; aud?: string; lifetime?: number; iat?: number; alg?: string } = {}): Promise<string> {
  const iat = claims.iat ?? Math.floor(Date.now() / 1000);
  return new SignJWT(claims.aud ? { aud: claims.aud } : {})
    .setProtectedHeader({ alg: claims.alg ?? 'RS256', kid: key.kid, typ: 'JWT' })
    .setJti(randomUUID())
    .setIssuer(claims.iss ?? HCX)
    .setSubject(claims.sub ?? HCX)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (claims.lifetime ?? 300))
    .sign(key.privateKey);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof HcxTokenError ? error.code : `unexpected ${(error as Error).name}`;
  }
}

describe('HCX RS256 token verifier (participant side, seed 002)', () => {
  let current: SigningKey;
  let published: JWK[];
  let server: http.Server;
  let jwksUrl: string;
  let fetches = 0;

  beforeAll(async () => {
    current = await signingKey('k1');
    published = [current.jwk];
    server = http.createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const verifier = () => createHcxTokenVerifier({ hcxInstanceId: HCX, jwksUrl, jwksCooldownMs: 0 });

  it('accepts a token of the HCX instance (iss = sub = instance id) and returns its claims', async () => {
    const claims = await verifier()(`Bearer ${await token(current)}`);
    expect(claims).toMatchObject({ iss: HCX, sub: HCX, jti: expect.any(String) });
  });

  it.each([
    ['no Authorization header', undefined, 'ERR_HCX_TOKEN_MISSING'],
    ['not a bearer JWT', 'Basic abc', 'ERR_HCX_TOKEN_MISSING'],
  ])('refuses %s', async (_name, header, code) => {
    expect(await codeOf(verifier()(header))).toBe(code);
  });

  it('refuses a wrong issuer and a wrong subject (ERR_HCX_TOKEN_INVALID)', async () => {
    expect(await codeOf(verifier()(`Bearer ${await token(current, { iss: 'another-hcx' })}`))).toBe('ERR_HCX_TOKEN_INVALID');
    expect(await codeOf(verifier()(`Bearer ${await token(current, { sub: 'provider-01@hcx' })}`))).toBe('ERR_HCX_TOKEN_INVALID');
  });

  it('with its participant code, accepts only tokens addressed to it (aud): another participant\'s token and one without aud are refused', async () => {
    const payorSystem = createHcxTokenVerifier({ hcxInstanceId: HCX, jwksUrl, jwksCooldownMs: 0, participantCode: 'payor-01@hcx' });
    expect(await payorSystem(`Bearer ${await token(current, { aud: 'payor-01@hcx' })}`)).toMatchObject({ aud: 'payor-01@hcx' });
    expect(await codeOf(payorSystem(`Bearer ${await token(current, { aud: 'provider-01@hcx' })}`))).toBe('ERR_HCX_TOKEN_INVALID');
    expect(await codeOf(payorSystem(`Bearer ${await token(current)}`))).toBe('ERR_HCX_TOKEN_INVALID');
  });

  it('refuses an expired token (ERR_HCX_TOKEN_EXPIRED) and one that lives longer than allowed', async () => {
    const expired = await token(current, { iat: Math.floor(Date.now() / 1000) - 3600, lifetime: 300 });
    expect(await codeOf(verifier()(`Bearer ${expired}`))).toBe('ERR_HCX_TOKEN_EXPIRED');
    expect(await codeOf(verifier()(`Bearer ${await token(current, { lifetime: 7 * 24 * 3600 })}`))).toBe('ERR_HCX_TOKEN_INVALID');
  });

  it('refuses another algorithm: PS256 under the HCX kid, HS256 with the public key bytes, alg none', async () => {
    const psKey = (await generateKeyPair('PS256')).privateKey;
    const ps256 = await new SignJWT({}).setProtectedHeader({ alg: 'PS256', kid: current.kid }).setJti(randomUUID()).setIssuer(HCX).setSubject(HCX).setIssuedAt().setExpirationTime('5m').sign(psKey);
    expect(await codeOf(verifier()(`Bearer ${ps256}`))).toBe('ERR_HCX_TOKEN_INVALID');
    const hs256 = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: current.kid }).setJti(randomUUID()).setIssuer(HCX).setSubject(HCX).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(JSON.stringify(current.jwk)));
    expect(await codeOf(verifier()(`Bearer ${hs256}`))).toBe('ERR_HCX_TOKEN_INVALID');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ jti: randomUUID(), iss: HCX, sub: HCX, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    expect(await codeOf(verifier()(`Bearer ${header}.${payload}.x`))).toBe('ERR_HCX_TOKEN_INVALID');
  });

  it('refuses a token whose kid the JWKS does not have, and one signed by another key under a known kid (ERR_HCX_TOKEN_UNTRUSTED)', async () => {
    const stranger = await signingKey('unknown-kid');
    expect(await codeOf(verifier()(`Bearer ${await token(stranger)}`))).toBe('ERR_HCX_TOKEN_UNTRUSTED');
    const impostor = { ...(await signingKey('k1')), kid: 'k1' };
    expect(await codeOf(verifier()(`Bearer ${await token(impostor)}`))).toBe('ERR_HCX_TOKEN_UNTRUSTED');
  });

  it('follows a JWKS rotation without a restart: the new kid is fetched, and a retired key stops working', async () => {
    const verify = verifier();
    expect(await codeOf(verify(`Bearer ${await token(current)}`))).toBe('accepted');
    const next = await signingKey('k2');
    published = [current.jwk, next.jwk]; // the HCX publishes the new key next to the old one
    const before = fetches;
    expect(await codeOf(verify(`Bearer ${await token(next)}`))).toBe('accepted');
    expect(fetches).toBeGreaterThan(before);
    expect(await codeOf(verify(`Bearer ${await token(current)}`))).toBe('accepted'); // overlap
    const retired = current;
    published = [next.jwk];
    current = next;
    // A fresh verifier (or the cache's max age) sees only the new key: the retired one is refused.
    expect(await codeOf(verifier()(`Bearer ${await token(retired)}`))).toBe('ERR_HCX_TOKEN_UNTRUSTED');
    expect(await codeOf(verifier()(`Bearer ${await token(current)}`))).toBe('accepted');
  });

  it('accepts a pinned JWKS or certificate instead of a URL, and requires exactly one key source', async () => {
    const pinned = createHcxTokenVerifier({ hcxInstanceId: HCX, jwks: { keys: [current.jwk] } });
    expect(await codeOf(pinned(`Bearer ${await token(current)}`))).toBe('accepted');
    expect(() => createHcxTokenVerifier({ hcxInstanceId: HCX })).toThrow('exactly one');
    expect(() => createHcxTokenVerifier({ hcxInstanceId: HCX, jwksUrl, jwks: { keys: [] } })).toThrow('exactly one');
  });
});
