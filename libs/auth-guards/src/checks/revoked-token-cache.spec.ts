import { RevokedTokenCache } from './revoked-token-cache';

const token = (over: Partial<{ jti: string; clientId: string; subject: string; issuedAt: Date }> = {}) => ({
  jti: 'jti-1',
  clientId: 'bank-a',
  subject: 'alice',
  issuedAt: new Date('2026-11-25T06:00:00Z'),
  ...over,
});

describe('RevokedTokenCache', () => {
  it('revokes by jti only that token', () => {
    const cache = new RevokedTokenCache();
    cache.apply({ jtis: ['jti-1'], expiresAt: '2026-11-25T06:05:00Z' });
    expect(cache.isRevoked(token())).toBe(true);
    expect(cache.isRevoked(token({ jti: 'jti-2' }))).toBe(false);
  });

  it('revokes every token of a client and subject issued at or before the cut-off', () => {
    const cache = new RevokedTokenCache();
    cache.apply({ jtis: [], clientId: 'bank-a', subject: 'alice', revokedBefore: '2026-11-25T06:00:00Z', expiresAt: '2026-11-25T06:05:00Z' });
    expect(cache.isRevoked(token({ jti: 'x' }))).toBe(true);
    expect(cache.isRevoked(token({ jti: 'x', issuedAt: new Date('2026-11-25T06:00:01Z') }))).toBe(false);
    expect(cache.isRevoked(token({ jti: 'x', subject: 'bob' }))).toBe(false);
    expect(cache.isRevoked(token({ jti: 'x', clientId: 'bank-b' }))).toBe(false);
  });

  it('revokes by client alone and by subject alone', () => {
    const cache = new RevokedTokenCache();
    cache.apply({ jtis: [], clientId: 'bank-a', revokedBefore: '2026-11-25T06:00:00Z', expiresAt: '2026-11-25T06:05:00Z' });
    cache.apply({ jtis: [], subject: 'carol', revokedBefore: '2026-11-25T06:00:00Z', expiresAt: '2026-11-25T06:05:00Z' });
    expect(cache.isRevoked(token({ jti: 'x', subject: 'anyone' }))).toBe(true);
    expect(cache.isRevoked(token({ jti: 'x', clientId: 'bank-b', subject: 'carol' }))).toBe(true);
    expect(cache.isRevoked(token({ jti: 'x', clientId: 'bank-b', subject: 'dave' }))).toBe(false);
  });

  it('ignores a cut-off that names neither client nor subject (would revoke everything)', () => {
    const cache = new RevokedTokenCache();
    cache.apply({ jtis: [], revokedBefore: '2026-11-25T07:00:00Z', expiresAt: '2026-11-25T07:05:00Z' });
    expect(cache.isRevoked(token({ jti: 'x' }))).toBe(false);
  });

  it('forgets entries once every token they cover has expired', () => {
    const cache = new RevokedTokenCache();
    cache.apply({ jtis: ['jti-1'], clientId: 'bank-a', revokedBefore: '2026-11-25T06:00:00Z', expiresAt: '2026-11-25T06:05:00Z' });
    cache.prune(new Date('2026-11-25T06:04:59Z'));
    expect(cache.size).toBe(2);
    cache.prune(new Date('2026-11-25T06:05:01Z'));
    expect(cache.size).toBe(0);
    expect(cache.isRevoked(token())).toBe(false);
  });
});
