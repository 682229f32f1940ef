import { PageTokens } from './page-token';

describe('PageTokens', () => {
  const tokens = new PageTokens('a'.repeat(40));
  const now = new Date('2026-11-25T06:00:00Z');
  const claims = { sid: 'bank_1', pc: 'bank', exp: Math.floor(now.getTime() / 1000) + 3600 };

  it('round-trips claims through a signed then encrypted compact JWE that does not reveal them', () => {
    const token = tokens.issue(claims);
    expect(token.split('.')).toHaveLength(5);
    expect(Buffer.from(token.split('.')[0], 'base64url').toString()).toBe('{"alg":"dir","enc":"A256GCM","cty":"JWT"}');
    expect(token).not.toContain(Buffer.from('bank_1').toString('base64url'));
    expect(tokens.verify(token, now)).toEqual(claims);
  });

  it('refuses tampering, another secret, garbage and absence with one code', () => {
    const token = tokens.issue(claims);
    const parts = token.split('.');
    const flipped = [...parts];
    flipped[3] = `${parts[3].slice(0, -2)}${parts[3].endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [flipped.join('.'), new PageTokens('b'.repeat(40)).issue(claims), 'x', '', undefined, 'a'.repeat(5000)]) {
      expect(() => tokens.verify(bad, now)).toThrow(expect.objectContaining({ code: 'ERR_PAGE_TOKEN_INVALID' }));
    }
  });

  it('refuses an expired token as ERR_SESSION_EXPIRED', () => {
    expect(() => tokens.verify(tokens.issue(claims), new Date(claims.exp * 1000))).toThrow(expect.objectContaining({ code: 'ERR_SESSION_EXPIRED' }));
  });
});
