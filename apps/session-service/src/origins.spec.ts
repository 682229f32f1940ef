import { isAllowedOrigin, normaliseOrigin } from './origins';

describe('origins', () => {
  it.each([
    ['https://bank.example.com', 'https://bank.example.com'],
    ['https://bank.example.com/', 'https://bank.example.com'],
    ['https://BANK.example.com:443', 'https://bank.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('normalises %s', (input, expected) => expect(normaliseOrigin(input)).toBe(expected));

  it.each(['*', 'https://*.bank.example', 'https://bank.example/path', 'https://bank.example?x=1', 'https://u:p@bank.example', 'ftp://bank.example', 'null', ''])(
    'refuses %s',
    (input) => expect(normaliseOrigin(input)).toBeUndefined(),
  );

  it('matches exactly: no suffix, prefix or port games', () => {
    const allowed = ['https://bank.example.com'];
    expect(isAllowedOrigin('https://bank.example.com', allowed)).toBe(true);
    expect(isAllowedOrigin('https://bank.example.com.evil.example', allowed)).toBe(false);
    expect(isAllowedOrigin('https://bank.example.com:8443', allowed)).toBe(false);
    expect(isAllowedOrigin('http://bank.example.com', allowed)).toBe(false);
    expect(isAllowedOrigin('null', allowed)).toBe(false);
    expect(isAllowedOrigin(undefined, allowed)).toBe(false);
  });
});
