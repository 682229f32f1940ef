import { canonicalOrigin, isOriginAllowed } from './origin';

describe('origin matching', () => {
  const allowed = ['https://bank.example', 'http://localhost:8080'];

  it.each([
    ['https://bank.example.com', 'https://bank.example.com'],
    ['https://bank.example.com/', 'https://bank.example.com'],
    ['https://BANK.example.com:443', 'https://bank.example.com'],
    ['HTTPS://Bank.Example', 'https://bank.example'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://bank.example:80', 'http://bank.example'],
  ])('canonicalises %s to %s (default port dropped, host lower-cased)', (input, expected) => expect(canonicalOrigin(input)).toBe(expected));

  it.each(['*', 'https://*.bank.example', 'https://bank.example/path', 'https://bank.example?x=1', 'https://bank.example#x', 'https://u:p@bank.example', 'ftp://bank.example', 'javascript:alert(1)', 'bank.example', 'null', '', `https://${'a'.repeat(250)}.example`])(
    'has no canonical form for %s',
    (input) => expect(canonicalOrigin(input)).toBeUndefined(),
  );

  it('accepts an exact scheme, host and port match (an explicit default port is the same origin)', () => {
    expect(isOriginAllowed('https://bank.example', allowed)).toBe(true);
    expect(isOriginAllowed('https://bank.example:443', allowed)).toBe(true);
    expect(isOriginAllowed('http://localhost:8080', allowed)).toBe(true);
  });

  it('refuses another scheme, port, subdomain or suffix', () => {
    expect(isOriginAllowed('http://bank.example', allowed)).toBe(false);
    expect(isOriginAllowed('https://bank.example:8443', allowed)).toBe(false);
    expect(isOriginAllowed('https://evil.bank.example', allowed)).toBe(false);
    expect(isOriginAllowed('https://bank.example.evil', allowed)).toBe(false);
    expect(isOriginAllowed('http://localhost:8081', allowed)).toBe(false);
  });

  it('refuses null, missing and malformed origins', () => {
    expect(isOriginAllowed('null', allowed)).toBe(false);
    expect(isOriginAllowed(undefined, allowed)).toBe(false);
    expect(isOriginAllowed('bank.example', allowed)).toBe(false);
    expect(isOriginAllowed('https://bank.example/path', allowed)).toBe(false);
    expect(isOriginAllowed('javascript:alert(1)', allowed)).toBe(false);
  });
});
