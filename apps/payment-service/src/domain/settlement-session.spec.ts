import { settlementSessionAt, settlementSessionNumber } from './settlement-session';

const kathmandu = { timeZone: 'Asia/Kathmandu', cutoffs: [] as string[] };

describe('settlementSessionAt', () => {
  it('is the business day in Asia/Kathmandu (UTC+05:45), not in UTC', () => {
    expect(settlementSessionAt(new Date('2026-11-25T18:14:00Z'), kathmandu)).toBe('2026-11-25'); // 23:59 local
    expect(settlementSessionAt(new Date('2026-11-25T18:15:00Z'), kathmandu)).toBe('2026-11-26'); // 00:00 local
  });

  it('splits the day at the configured cut-offs', () => {
    const calendar = { timeZone: 'Asia/Kathmandu', cutoffs: ['14:30', '12:30'] };
    expect(settlementSessionAt(new Date('2026-11-25T06:44:00Z'), calendar)).toBe('2026-11-25/1'); // 12:29 local
    expect(settlementSessionAt(new Date('2026-11-25T06:45:00Z'), calendar)).toBe('2026-11-25/2'); // 12:30 local
    expect(settlementSessionAt(new Date('2026-11-25T08:45:00Z'), calendar)).toBe('2026-11-25/3'); // 14:30 local
  });
});

describe('settlementSessionNumber', () => {
  it('is yyyyMMdd × 100 + the window', () => {
    expect(settlementSessionNumber('2026-11-25')).toBe(2026112500);
    expect(settlementSessionNumber('2026-11-25/2')).toBe(2026112502);
    expect(() => settlementSessionNumber('x')).toThrow('not a settlement session id');
  });
});
