import { randomBytes } from 'node:crypto';

/**
 * 256 random bits from node:crypto, base64url (43 characters). The HS256 key of a participant's API
 * keys is the UTF-8 bytes of this string, which is what `jose` users write:
 * `jwtVerify(apiKey, new TextEncoder().encode(client_secret))`.
 */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hmacKeyOf(clientSecret: string | Buffer): Uint8Array {
  return new Uint8Array(typeof clientSecret === 'string' ? Buffer.from(clientSecret, 'utf8') : clientSecret);
}
