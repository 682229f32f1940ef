import { expectSameShape, shapeDifferences } from './json-shape';

describe('shapeDifferences', () => {
  const sample = { id: 1, name: 'x', when: '2020-01-22T06:05:30.181+0000', day: '2020-01-22', nested: { amount: 10.5, flag: true }, list: [{ a: 'b' }], maybe: null };

  it('accepts the same shape with other values, and null in either direction', () => {
    expect(shapeDifferences(sample, { id: 2, name: 'y', when: '2026-12-06T07:00:00.000+0000', day: '2026-12-06', nested: { amount: null, flag: false }, list: [{ a: 'c' }, { a: 'd' }], maybe: 'now a string' })).toEqual([]);
  });

  it('names a missing key, an extra key, a wrong type and a wrong date format', () => {
    expect(shapeDifferences(sample, { id: '2', name: 'y', when: '2026-12-06T07:00:00Z', day: '2026-12-06', nested: { amount: 1, flag: true, extra: 1 }, list: [{ a: 1 }] })).toEqual([
      'id: expected number (sample 1), got string ("2")',
      'when: expected the format timestamp YYYY-MM-DDTHH:mm:ss.SSS+0000 (sample "2020-01-22T06:05:30.181+0000"), got "2026-12-06T07:00:00Z"',
      'nested.extra: not in the sample',
      'list[0].a: expected string (sample "b"), got number (1)',
      'maybe: missing (sample null)',
    ]);
  });

  it('allows declared extra keys, also inside array elements', () => {
    expect(shapeDifferences([{ a: 1 }], [{ a: 1, token: 't' }], { allowExtra: ['[].token'] })).toEqual([]);
    expect(() => expectSameShape({ a: 1 }, { a: 1, b: 2 })).toThrow('b: not in the sample');
    expect(() => expectSameShape({ a: 1 }, { a: 1, b: 2 }, { allowExtra: ['*'] })).not.toThrow();
  });

  it('refuses an object where the sample has an array', () => {
    expect(shapeDifferences({ data: [] }, { data: {} })).toEqual(['data: expected array (sample []), got object ({})']);
  });
});
