/**
 * Seed 001 section 7.1 at the token endpoint: CIDR allow/deny for IPv4 and IPv6, X-Forwarded-For
 * believed only from a configured trusted proxy (one instance trusts 127.0.0.1, one trusts nobody),
 * and the per-source rate limit. The test's own address is 127.0.0.1 (or ::1 for the IPv6 instance).
 */
import { randomBytes } from 'node:crypto';
import { postForm, startAuthService } from '../support/auth-test-service';
import type { StartedAuth } from '../support/auth-test-service';

jest.setTimeout(30_000);

describe('auth-service source IP allowlist and X-Forwarded-For', () => {
  let direct: StartedAuth; // TRUSTED_PROXIES empty
  let behindProxy: StartedAuth; // TRUSTED_PROXIES=127.0.0.1
  let ipv6: StartedAuth; // listens on ::1
  let limited: StartedAuth; // AUTH_RATE_LIMIT_PER_MINUTE=3, TRUSTED_PROXIES=127.0.0.1

  const clients: Record<string, { clientId: string; clientSecret: string; username: string; password: string }> = {};
  async function client(name: string, allowedCidrs: string[]) {
    const created = await direct.createClient({ allowedCidrs });
    const user = await direct.createUser(created.clientId);
    clients[name] = { ...created, ...user };
  }
  const login = (service: StartedAuth, name: string, headers: Record<string, string> = {}) => {
    const c = clients[name];
    return postForm(`${service.url}/oauth/token`, { grant_type: 'password', username: c.username, password: c.password }, { basic: { id: c.clientId, secret: c.clientSecret }, headers });
  };
  const expectDenied = (response: { status: number; body: Record<string, unknown> }) => {
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'access_denied', error_code: 'ERR_SOURCE_IP_NOT_ALLOWED' });
  };

  beforeAll(async () => {
    direct = await startAuthService();
    [behindProxy, ipv6, limited] = await Promise.all([
      startAuthService({ keyFile: direct.keyFile, admin: direct.admin, env: { TRUSTED_PROXIES: '127.0.0.1' } }),
      startAuthService({ keyFile: direct.keyFile, admin: direct.admin, env: { HOST: '::1' } }),
      startAuthService({ keyFile: direct.keyFile, admin: direct.admin, env: { AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUSTED_PROXIES: '127.0.0.1' } }),
    ]);
    await client('loopback4', ['127.0.0.1/32']);
    await client('loopback6', ['::1/128']);
    await client('private10', ['10.0.0.0/8']);
    await client('both', ['127.0.0.0/8', '::1/128']);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([direct, behindProxy, ipv6, limited].filter(Boolean).map((service) => service.stop()));
  }, 30_000);

  it('IPv4: allows a client from its CIDR and refuses one whose CIDRs exclude the source (403)', async () => {
    expect((await login(direct, 'loopback4')).status).toBe(200);
    expect((await login(direct, 'both')).status).toBe(200);
    expectDenied(await login(direct, 'private10'));
    expectDenied(await login(direct, 'loopback6'));
  });

  it('IPv6: allows ::1 for a ::1/128 client and refuses IPv4-only clients from ::1', async () => {
    expect(ipv6.url).toContain('[::1]');
    expect((await login(ipv6, 'loopback6')).status).toBe(200);
    expect((await login(ipv6, 'both')).status).toBe(200);
    expectDenied(await login(ipv6, 'loopback4'));
    expectDenied(await login(ipv6, 'private10'));
  });

  it('a spoofed X-Forwarded-For from an untrusted peer changes nothing', async () => {
    expectDenied(await login(direct, 'private10', { 'x-forwarded-for': '10.1.2.3' }));
    expect((await login(direct, 'loopback4', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  });

  it('behind a trusted proxy the right-most untrusted X-Forwarded-For address is the source', async () => {
    expect((await login(behindProxy, 'private10', { 'x-forwarded-for': '10.1.2.3' })).status).toBe(200);
    // The client wrote the left entry itself; the proxy appended the real address on the right.
    expectDenied(await login(behindProxy, 'private10', { 'x-forwarded-for': '10.1.2.3, 203.0.113.9' }));
    expectDenied(await login(behindProxy, 'loopback4', { 'x-forwarded-for': '203.0.113.9' }));
    // Garbage in the chain: the source is unknown, so refused.
    expectDenied(await login(behindProxy, 'private10', { 'x-forwarded-for': '10.1.2.3, not-an-ip' }));
  });

  it('rate-limits the token endpoint per source address with its own error', async () => {
    // The counters are shared by every instance on the test database: this test's source is its own.
    const headers = { 'x-forwarded-for': `2001:db8:${randomBytes(2).toString('hex')}::${randomBytes(2).toString('hex')}` };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await postForm(`${limited.url}/oauth/token`, { grant_type: 'password' }, { headers });
      expect(response.status).toBe(401);
    }
    const limitedResponse = await postForm(`${limited.url}/oauth/token`, { grant_type: 'password' }, { headers });
    expect(limitedResponse.status).toBe(429);
    expect(limitedResponse.body).toMatchObject({ error: 'temporarily_unavailable', error_code: 'ERR_RATE_LIMITED' });
    expect(Number(limitedResponse.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
