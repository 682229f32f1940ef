import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeySet } from '../keys/key-set';
import { rsaKeyPair } from '../fixtures/test-keys';
import { RemoteJwks, createRemoteJwks, type FetchLike } from './remote';
import { toPublicJwks, type PublicJwks } from './serve';

describe('RemoteJwks against a local HTTP server', () => {
  let server: Server;
  let url: string;
  let document: PublicJwks | string;
  let status = 200;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests += 1;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof document === 'string' ? document : JSON.stringify(document));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    requests = 0;
    status = 200;
  });

  it('fetches once, caches, and refreshes on an unknown kid after the cooldown', async () => {
    const first = await rsaKeyPair('first');
    const second = await rsaKeyPair('second');
    document = toPublicJwks(new KeySet([{ kid: 'k1', key: first.publicKey, use: 'sig' }]));
    let now = 1_000_000;
    const jwks = createRemoteJwks(url, { allowHttp: true, cooldownMs: 30_000, now: () => now });

    expect((await jwks.getKey('k1', 'sig'))?.key.export({ format: 'jwk' })).toEqual(first.publicKey.export({ format: 'jwk' }));
    expect(await jwks.getKey('k1', 'sig')).toBeDefined();
    expect(requests).toBe(1);

    // The partner rotates: k2 appears. Within the cooldown the unknown kid does not trigger a fetch.
    document = toPublicJwks(
      new KeySet([
        { kid: 'k1', key: first.publicKey, use: 'sig' },
        { kid: 'k2', key: second.publicKey, use: 'sig' },
      ]),
    );
    expect(await jwks.getKey('k2', 'sig')).toBeUndefined();
    expect(requests).toBe(1);
    now += 30_000;
    expect((await jwks.getKey('k2', 'sig'))?.kid).toBe('k2');
    expect(requests).toBe(2);

    // An unknown kid flood costs at most one fetch per cooldown.
    now += 30_000;
    await Promise.all(Array.from({ length: 20 }, (_, index) => jwks.getKey(`nope-${index}`, 'sig')));
    expect(requests).toBe(3);
  });

  it('refetches when the cache is stale and keeps the old keys if that fails', async () => {
    const first = await rsaKeyPair('first');
    document = toPublicJwks(new KeySet([{ kid: 'k1', key: first.publicKey, use: 'sig' }]));
    let now = 0;
    const jwks = new RemoteJwks(url, { allowHttp: true, cacheMaxAgeMs: 60_000, cooldownMs: 1_000, now: () => now });
    await jwks.getKey('k1', 'sig');
    now += 60_001;
    status = 503;
    expect((await jwks.getKey('k1', 'sig'))?.kid).toBe('k1');
    expect(requests).toBe(2);
  });

  it('reports ERR_JWKS_FETCH_FAILED when the first fetch fails', async () => {
    status = 500;
    const jwks = new RemoteJwks(url, { allowHttp: true });
    await expect(jwks.getKey('k1', 'sig')).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
  });

  it.each([
    ['not JSON', '<html>'],
    ['no keys array', '{"keys":{}}'],
  ])('reports ERR_JWKS_FETCH_FAILED for a document that is %s', async (_name, body) => {
    document = body;
    await expect(new RemoteJwks(url, { allowHttp: true }).getKey('k1', 'sig')).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
  });

  it('refuses plain http unless allowed', () => {
    expect(() => new RemoteJwks(url)).toThrow(TypeError);
  });
});

describe('RemoteJwks with an injected fetch', () => {
  const answer = (body: unknown): FetchLike => () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(body)) });

  it('ignores keys that are not usable RSA public keys and reports small ones as ERR_KEY_TOO_SMALL', async () => {
    const good = await rsaKeyPair('good');
    const small = await rsaKeyPair('small', 1024);
    const goodJwk = good.publicKey.export({ format: 'jwk' });
    const jwks = new RemoteJwks('https://partner.example/jwks.json', {
      fetch: answer({
        keys: [
          { ...goodJwk, kid: 'good', use: 'sig', alg: 'PS256' },
          { ...small.publicKey.export({ format: 'jwk' }), kid: 'small', use: 'sig' },
          { ...goodJwk, use: 'sig' }, // no kid
          { kty: 'EC', kid: 'ec', crv: 'P-256', x: 'AA', y: 'AA' },
          { ...good.privateKey.export({ format: 'jwk' }), kid: 'private' },
          { ...goodJwk, kid: 'hmac', alg: 'HS256' },
          { ...goodJwk, kid: 'enc-only', use: 'enc' },
        ],
      }),
    });
    expect((await jwks.getKey('good', 'sig'))?.alg).toBe('PS256');
    await expect(jwks.getKey('small', 'sig')).rejects.toMatchObject({ code: 'ERR_KEY_TOO_SMALL' });
    for (const kid of ['ec', 'private', 'hmac']) expect(await jwks.getKey(kid, 'sig')).toBeUndefined();
    expect(await jwks.getKey('enc-only', 'sig')).toBeUndefined();
    expect(await jwks.getKey('enc-only', 'enc')).toBeDefined();
  });

  it('shares one fetch between concurrent callers', async () => {
    const good = await rsaKeyPair('good');
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return { ok: true, status: 200, text: () => Promise.resolve(JSON.stringify({ keys: [{ ...good.publicKey.export({ format: 'jwk' }), kid: 'k' }] })) };
    };
    const jwks = new RemoteJwks('https://partner.example/jwks.json', { fetch });
    await Promise.all(Array.from({ length: 10 }, () => jwks.getKey('k', 'sig')));
    expect(calls).toBe(1);
  });

  it('does not hammer a host that keeps failing before the first success', async () => {
    let calls = 0;
    let now = 0;
    const fetch: FetchLike = () => {
      calls += 1;
      return Promise.reject(new Error('ECONNREFUSED'));
    };
    const jwks = new RemoteJwks('https://partner.example/jwks.json', { fetch, cooldownMs: 10_000, now: () => now });
    await expect(jwks.getKey('k', 'sig')).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    await expect(jwks.getKey('k', 'sig')).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    expect(calls).toBe(1);
    now += 10_000;
    await expect(jwks.getKey('k', 'sig')).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
    expect(calls).toBe(2);
  });

  it('refuses a document over the size limit', async () => {
    const jwks = new RemoteJwks('https://partner.example/jwks.json', { fetch: answer({ keys: [], padding: 'x'.repeat(2048) }), maxBytes: 1024 });
    await expect(jwks.getKey('k', 'sig')).rejects.toMatchObject({ code: 'ERR_JWKS_FETCH_FAILED' });
  });
});
