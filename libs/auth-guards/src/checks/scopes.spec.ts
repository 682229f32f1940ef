import { missingScopes, parseScope } from './scopes';

describe('scopes', () => {
  it('parses a space-delimited scope and drops duplicates and empty items', () => {
    expect(parseScope('read write  trust read')).toEqual(['read', 'write', 'trust']);
    expect(parseScope(undefined)).toEqual([]);
    expect(parseScope(['read'])).toEqual([]);
  });

  it('lists the required scopes a token lacks, case-sensitively', () => {
    expect(missingScopes(['read', 'write'], ['read'])).toEqual([]);
    expect(missingScopes(['read'], ['read', 'write'])).toEqual(['write']);
    expect(missingScopes(['READ'], ['read'])).toEqual(['read']);
    expect(missingScopes([], [])).toEqual([]);
  });
});
