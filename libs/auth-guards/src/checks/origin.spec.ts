import { canonicalOrigin, isOriginAllowed } from './origin';

describe('origin matching', () => {
  const allowed = ['https://bank.example', 'http://localhost:8080'];

  it('accepts an exact scheme, host and port match (default ports made explicit)', () => {
    expect(isOriginAllowed('https://bank.example', allowed)).toBe(true);
    expect(isOriginAllowed('https://bank.example:443', allowed)).toBe(true);
    expect(isOriginAllowed('http://localhost:8080', allowed)).toBe(true);
    expect(canonicalOrigin('HTTPS://Bank.Example')).toBe('https://bank.example:443');
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
