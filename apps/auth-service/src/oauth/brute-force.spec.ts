import { lockoutUntil } from './brute-force';

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
