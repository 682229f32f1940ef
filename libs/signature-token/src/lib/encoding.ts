import { SignatureError } from '../errors';
import { checkedText } from './fields';

/** UTF-8 bytes of a whole token string; refuses lone surrogates (two strings, one byte sequence). */
export function tokenStringBytes(tokenString: unknown): Buffer {
  if (typeof tokenString !== 'string') {
    throw new TypeError('tokenString must be a string');
  }
  return Buffer.from(checkedText(tokenString, 'tokenString', true), 'utf8');
}

/**
 * Strict RFC 4648 section 4 base64 of exactly `expectedBytes` bytes (an RSA signature is always as
 * long as the modulus). Refuses whitespace and line breaks, base64url, missing or extra padding and
 * non-zero pad bits: one signature has exactly one accepted spelling.
 */
export function decodeSignature(token: unknown, expectedBytes: number): Buffer {
  if (typeof token !== 'string' || token.length === 0) {
    throw new SignatureError('ERR_SIGNATURE_MALFORMED', 'token must be a non-empty base64 string');
  }
  const expectedLength = 4 * Math.ceil(expectedBytes / 3);
  if (token.length !== expectedLength) {
    throw new SignatureError(
      'ERR_SIGNATURE_MALFORMED',
      `token must be ${expectedLength} base64 characters for this certificate's ${expectedBytes * 8}-bit key, not ${token.length}`,
    );
  }
  const signature = Buffer.from(token, 'base64');
  // Node's decoder is lenient: it skips characters outside the alphabet (whitespace, '!'),
  // accepts base64url's '-' and '_', stops at a stray '=' and ignores non-zero pad bits. Only the
  // one text that re-encodes to itself is accepted, which refuses all of those at once.
  if (signature.length !== expectedBytes || signature.toString('base64') !== token) {
    throw new SignatureError('ERR_SIGNATURE_MALFORMED', 'token is not canonical base64 (RFC 4648 section 4, padded, no line breaks)');
  }
  return signature;
}
