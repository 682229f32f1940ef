import type { Request } from 'express';
import { OAUTH_CLIENT_LIMIT, OAUTH_SOURCE_LIMIT, oauthRateLimits } from './rate-limits';

const request = (headers: Record<string, string>, body: Record<string, unknown> = {}) => ({ headers, body }) as unknown as Request;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('oauthRateLimits', () => {
  const [source, client] = oauthRateLimits({ AUTH_RATE_LIMIT_PER_MINUTE: 7 });
  const clientKey = (req: Request) => (typeof client.by === 'function' ? client.by(req) : 'not a function');

  it('limits per source address and per client, AUTH_RATE_LIMIT_PER_MINUTE each per minute', () => {
    expect([source.name, source.by, source.limit, source.ttlMs]).toEqual([OAUTH_SOURCE_LIMIT, 'source-address', 7, 60_000]);
    expect([client.name, client.limit, client.ttlMs]).toEqual([OAUTH_CLIENT_LIMIT, 7, 60_000]);
  });

  it('counts a client by the id it presents, in the Authorization header or the body', () => {
    expect(clientKey(request({ authorization: basic('bank-a', 'secret') }))).toBe('bank-a');
    expect(clientKey(request({}, { client_id: 'bank-b', client_secret: 'secret' }))).toBe('bank-b');
  });

  it('does not count per client a request whose credentials cannot be read (the source limit still applies)', () => {
    expect(clientKey(request({}))).toBeUndefined();
    expect(clientKey(request({ authorization: 'Basic !!!' }))).toBeUndefined();
    expect(clientKey(request({ authorization: basic('bank-a', 'secret') }, { client_secret: 'both methods' }))).toBeUndefined();
  });
});
