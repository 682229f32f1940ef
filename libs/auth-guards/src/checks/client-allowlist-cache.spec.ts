import { ClientAllowlistCache } from './client-allowlist-cache';

describe('ClientAllowlistCache', () => {
  it('allows a known active client from its CIDRs only (IPv4 and IPv6)', () => {
    const cache = new ClientAllowlistCache();
    cache.apply({ clientId: 'bank-a', revision: 1, status: 'ACTIVE', allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(cache.isAllowed('bank-a', '10.2.3.4')).toBe(true);
    expect(cache.isAllowed('bank-a', '::ffff:10.2.3.4')).toBe(true);
    expect(cache.isAllowed('bank-a', '2001:db8::5')).toBe(true);
    expect(cache.isAllowed('bank-a', '192.168.0.1')).toBe(false);
    expect(cache.isAllowed('bank-a', '2001:db9::5')).toBe(false);
    expect(cache.isAllowed('bank-a', undefined)).toBe(false);
  });

  it('fails closed for unknown and disabled clients', () => {
    const cache = new ClientAllowlistCache();
    expect(cache.isAllowed('nobody', '10.0.0.1')).toBe(false);
    cache.apply({ clientId: 'bank-a', revision: 1, status: 'DISABLED', allowedCidrs: ['0.0.0.0/0'] });
    expect(cache.isAllowed('bank-a', '10.0.0.1')).toBe(false);
  });

  it('applies only newer revisions (idempotent, out-of-order safe)', () => {
    const cache = new ClientAllowlistCache();
    expect(cache.apply({ clientId: 'bank-a', revision: 2, status: 'ACTIVE', allowedCidrs: ['10.0.0.0/8'] })).toBe(true);
    expect(cache.apply({ clientId: 'bank-a', revision: 1, status: 'ACTIVE', allowedCidrs: ['0.0.0.0/0'] })).toBe(false);
    expect(cache.apply({ clientId: 'bank-a', revision: 2, status: 'ACTIVE', allowedCidrs: ['0.0.0.0/0'] })).toBe(false);
    expect(cache.isAllowed('bank-a', '192.168.0.1')).toBe(false);
    expect(cache.apply({ clientId: 'bank-a', revision: 3, status: 'ACTIVE', allowedCidrs: ['192.168.0.0/16', 'junk'] })).toBe(true);
    expect(cache.isAllowed('bank-a', '192.168.0.1')).toBe(true);
    expect(cache.isAllowed('bank-a', '10.0.0.1')).toBe(false);
  });
});
