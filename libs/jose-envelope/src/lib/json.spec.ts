import { hasDuplicateMembers, parseJsonObject } from './json';

describe('JSON of tokens: duplicate member names', () => {
  it('finds a member named twice at any depth, also when one name is escaped', () => {
    expect(hasDuplicateMembers('{"sub":"a","sub":"b"}')).toBe(true);
    expect(hasDuplicateMembers('{"a":{"x":1,"y":[{"k":1,"k":2}]}}')).toBe(true);
    expect(hasDuplicateMembers('{"sub":"a","\\u0073ub":"b"}')).toBe(true);
  });

  it('leaves distinct names, equal values, names inside strings and arrays alone', () => {
    expect(hasDuplicateMembers('{"a":"a","b":"a","c":["a","a"],"d":{"a":1}}')).toBe(false);
    expect(hasDuplicateMembers('{"a":"\\"a\\":1,\\"a\\":2","b":{"c":"}"},"e":1}')).toBe(false);
    expect(hasDuplicateMembers('not json "unterminated')).toBe(false);
  });

  it('makes parseJsonObject refuse a token part with duplicate members', () => {
    expect(parseJsonObject(Buffer.from('{"session_id":"x","session_id":"y"}'))).toBeUndefined();
    expect(parseJsonObject(Buffer.from('{"session_id":"y"}'))).toEqual({ session_id: 'y' });
  });
});
