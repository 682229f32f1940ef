import { decodeBase64url, encodeBase64url } from './base64url';

describe('decodeBase64url', () => {
  it('round-trips every length', () => {
    for (let length = 0; length < 40; length += 1) {
      const bytes = Buffer.from(Array.from({ length }, (_, index) => (index * 37 + 11) & 0xff));
      expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
    }
  });

  it.each([
    ['padding', 'YWI='],
    ['standard alphabet +', 'a+b_'],
    ['standard alphabet /', 'a/b_'],
    ['whitespace', 'YW I'],
    ['a newline', 'YW\nI'],
    ['an impossible length', 'YWJjZ'],
    ['non-zero trailing bits', 'YWJ'],
    ['a dot', 'YW.I'],
    ['non-ASCII', 'YWé'],
  ])('refuses %s', (_name, input) => {
    expect(decodeBase64url(input)).toBeUndefined();
  });
});
