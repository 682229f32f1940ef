/**
 * Strict base64url (RFC 7515 section 2: URL-safe alphabet, no padding, no whitespace).
 * Node's decoder is lenient: it accepts '+', '/', '=' and skips characters outside the alphabet,
 * and it ignores non-zero trailing bits, so a tampered segment could decode to the same bytes.
 * Requiring the bytes to re-encode to exactly the input rejects all of that (each of those inputs
 * re-encodes differently) and leaves one canonical encoding per byte string.
 */
export function decodeBase64url(input: string): Buffer | undefined {
  if (input.length % 4 === 1) return undefined;
  const bytes = Buffer.from(input, 'base64url');
  return bytes.toString('base64url') === input ? bytes : undefined;
}

export function encodeBase64url(input: Uint8Array | string): string {
  return (typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength)).toString(
    'base64url',
  );
}
