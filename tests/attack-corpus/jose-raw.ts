/**
 * JOSE built by hand, so an attack can say anything a token can say: any header (alg none, jku,
 * crit, zip, duplicate keys), any payload bytes, any signature (stripped, truncated, flipped),
 * and JWEs with any protected header. Only node:crypto; the services' own libraries are not used.
 */
import { constants, createCipheriv, createHmac, publicEncrypt, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';

export const b64u = (value: string | Buffer | object): string =>
  (Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))).toString('base64url');

export function decodePart<T = Record<string, unknown>>(part: string): T {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as T;
}

/** Signature of `input` with `alg` (HS/RS/PS/ES 256-512) and `key` (KeyObject, or bytes/PEM text for HMAC). */
export function signature(alg: string, key: KeyObject | string | Buffer, input: string): string {
  const bits = alg.slice(2);
  const hash = `sha${bits}`;
  if (alg.startsWith('HS')) return createHmac(hash, key as string | Buffer).update(input).digest('base64url');
  if (alg.startsWith('RS')) return sign(hash, Buffer.from(input), { key: key as KeyObject, padding: constants.RSA_PKCS1_PADDING }).toString('base64url');
  if (alg.startsWith('PS')) return sign(hash, Buffer.from(input), { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }).toString('base64url');
  if (alg.startsWith('ES')) return sign(hash, Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  throw new Error(`cannot sign with ${alg}`);
}

/** A compact JWS; `payload` as text is sent byte for byte (duplicate keys, odd JSON). `key` null: no signature. */
export function rawJws(header: object, payload: object | string, key: KeyObject | string | Buffer | null, alg = (header as { alg?: string }).alg ?? 'none'): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${key === null ? '' : signature(alg, key, input)}`;
}

/** A compact JWE, RSA-OAEP-256 + A256GCM, with any protected header (`zip: DEF` really deflates). */
export function rawJwe(header: Record<string, unknown>, plaintext: string, recipient: KeyObject): string {
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const encryptedKey = publicEncrypt({ key: recipient, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
  const protectedHeader = b64u(header);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
  const body = header.zip === 'DEF' ? deflateRawSync(Buffer.from(plaintext)) : Buffer.from(plaintext);
  const ciphertext = Buffer.concat([cipher.update(body), cipher.final()]);
  return [protectedHeader, b64u(encryptedKey), b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.');
}

/** Flips one bit in the middle of a base64url part. */
export function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.length === 0) return 'AA';
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  return bytes.toString('base64url');
}
