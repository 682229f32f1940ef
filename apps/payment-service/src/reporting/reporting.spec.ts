import { startOfLocalDay } from './reporting.service';

describe('startOfLocalDay', () => {
  it('is local midnight in Asia/Kathmandu (UTC+05:45)', () => {
    expect(startOfLocalDay('2026-11-25', 'Asia/Kathmandu').toISOString()).toBe('2026-11-24T18:15:00.000Z');
  });
  it('is UTC midnight in UTC', () => {
    expect(startOfLocalDay('2026-11-25', 'UTC').toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });
});
