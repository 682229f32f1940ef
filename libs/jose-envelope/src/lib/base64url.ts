const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Strict base64url (RFC 7515 section 2: URL-safe alphabet, no padding, no whitespace) with one
 * canonical encoding per byte string. Node's decoder alone is lenient: it accepts '+', '/', '=',
 * skips characters outside the alphabet and ignores non-zero trailing bits, so a tampered segment
 * could decode to the same bytes. Hence: alphabet only, a length that base64 can produce, and the
 * unused low bits of the last character zero (checked without re-encoding, to spare an allocation).
 */
export function decodeBase64url(input: string): Buffer | undefined {
  const remainder = input.length % 4;
  if (remainder === 1 || !BASE64URL.test(input)) return undefined;
  if (remainder !== 0) {
    // 2 characters carry 1 byte (4 unused bits), 3 characters carry 2 bytes (2 unused bits).
    const unusedBitsMask = remainder === 2 ? 0x0f : 0x03;
    if ((ALPHABET.indexOf(input[input.length - 1]) & unusedBitsMask) !== 0) return undefined;
  }
  return Buffer.from(input, 'base64url');
}

export function encodeBase64url(input: Uint8Array | string): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength)).toString(
    'base64url',
  );
}
