import { RateLimiter, lockoutUntil } from './brute-force';

describe('RateLimiter', () => {
  it('allows `limit` requests per window and then answers the wait in seconds', () => {
    const limiter = new RateLimiter(2, 60_000);
    expect(limiter.hit('ip:1', 0)).toBeUndefined();
    expect(limiter.hit('ip:1', 1_000)).toBeUndefined();
    expect(limiter.hit('ip:1', 10_000)).toBe(50);
    expect(limiter.firstRefusal('ip:1')).toBe(true);
    expect(limiter.hit('ip:1', 11_000)).toBe(49);
    expect(limiter.firstRefusal('ip:1')).toBe(false);
    expect(limiter.hit('ip:2', 10_000)).toBeUndefined();
    expect(limiter.hit('ip:1', 60_000)).toBeUndefined();
  });
});

describe('lockoutUntil', () => {
  const policy = { threshold: 3, baseSeconds: 30, maxSeconds: 300 };
  const now = new Date('2026-11-25T06:00:00Z');
  it('locks from the threshold on with a doubling delay, capped', () => {
    expect(lockoutUntil(2, policy, now)).toBeUndefined();
    expect(lockoutUntil(3, policy, now)).toEqual(new Date(now.getTime() + 30_000));
    expect(lockoutUntil(4, policy, now)).toEqual(new Date(now.getTime() + 60_000));
    expect(lockoutUntil(5, policy, now)).toEqual(new Date(now.getTime() + 120_000));
    expect(lockoutUntil(9, policy, now)).toEqual(new Date(now.getTime() + 300_000));
    expect(lockoutUntil(1000, policy, now)).toEqual(new Date(now.getTime() + 300_000));
  });
});
