import { KeyObject, constants, createCipheriv, createDecipheriv, publicEncrypt } from 'node:crypto';
import { AlgNotAllowed, JweDecryptionFailed, JweInvalid } from '../errors';
import {
  GCM_IV_BYTES,
  GCM_TAG_BYTES,
  JWE_CONTENT_ENCRYPTIONS,
  JWE_KEY_ALGORITHMS,
  isJweContentEncryption,
  isJweKeyAlgorithm,
  type JweContentEncryption,
  type JweKeyAlgorithm,
} from './algorithms';
import { decodeBase64url, encodeBase64url } from './base64url';
import { assertAllowed, assertNoForbiddenHeaders } from './header-policy';
import { parseJsonObject, type JsonObject } from './json';
import type { PrivateOperations } from './private-operations';
import { randomBytesFromPool } from './random';

export interface JweHeader extends JsonObject {
  alg: JweKeyAlgorithm;
  enc: JweContentEncryption;
  kid?: string;
  cty?: string;
}

export interface ParsedJwe {
  header: JweHeader;
  /** ASCII(BASE64URL(protected header)): the AES-GCM additional authenticated data. */
  aad: Buffer;
  encryptedKey: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export interface JweAlgorithmPolicy {
  algorithms: readonly JweKeyAlgorithm[];
  encryptions: readonly JweContentEncryption[];
}

/** Compact JWE (RFC 7516 section 7.1): fresh CEK and IV per message, CEK wrapped with RSA-OAEP. */
export function encryptCompactJwe(header: JweHeader, plaintext: Uint8Array | string, recipientKey: KeyObject): string {
  const { cipher, keyLength } = JWE_CONTENT_ENCRYPTIONS[header.enc];
  const cek = randomBytesFromPool(keyLength);
  const iv = randomBytesFromPool(GCM_IV_BYTES);
  const encryptedKey = publicEncrypt(
    { key: recipientKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: JWE_KEY_ALGORITHMS[header.alg].oaepHash },
    cek,
  );
  const protectedHeader = encodeBase64url(JSON.stringify(header));
  const gcm = createCipheriv(cipher, cek, iv, { authTagLength: GCM_TAG_BYTES });
  gcm.setAAD(Buffer.from(protectedHeader, 'ascii'));
  const ciphertext = Buffer.concat([gcm.update(plaintext), gcm.final()]);
  return [protectedHeader, encodeBase64url(encryptedKey), encodeBase64url(iv), encodeBase64url(ciphertext), encodeBase64url(gcm.getAuthTag())].join(
    '.',
  );
}

/**
 * Parses a compact JWE and applies the header policy (RFC 7516 section 5.2 steps 1-5) before any
 * key is used: forbidden parameters, then `alg` and `enc` against the configured allowlists, then
 * the fixed sizes of IV and tag.
 */
export function parseCompactJwe(token: string, policy: JweAlgorithmPolicy): ParsedJwe {
  const parts = token.split('.');
  if (parts.length !== 5) throw new JweInvalid('token is not a compact JWE (expected 5 parts)');
  const [headerPart, keyPart, ivPart, ciphertextPart, tagPart] = parts;
  const headerBytes = decodeBase64url(headerPart);
  const encryptedKey = decodeBase64url(keyPart);
  const iv = decodeBase64url(ivPart);
  const ciphertext = decodeBase64url(ciphertextPart);
  const tag = decodeBase64url(tagPart);
  if (!headerBytes || !encryptedKey || !iv || !ciphertext || !tag) throw new JweInvalid('JWE part is not valid base64url');
  const header = parseJsonObject(headerBytes);
  if (!header) throw new JweInvalid('JWE protected header is not a JSON object');
  assertNoForbiddenHeaders(header, 'JWE');
  if (typeof header.alg !== 'string') throw new JweInvalid('JWE header "alg" is missing');
  if (typeof header.enc !== 'string') throw new JweInvalid('JWE header "enc" is missing');
  assertAllowed(header.alg, policy.algorithms, 'JWE alg');
  assertAllowed(header.enc, policy.encryptions, 'JWE enc');
  // A configured value this library does not implement (a JavaScript caller can pass anything).
  if (!isJweKeyAlgorithm(header.alg) || !isJweContentEncryption(header.enc)) throw new AlgNotAllowed('JWE alg/enc is not supported');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new JweInvalid('JWE header "kid" must be a string');
  if (iv.length !== GCM_IV_BYTES) throw new JweInvalid('JWE initialization vector must be 96 bits');
  if (tag.length !== GCM_TAG_BYTES) throw new JweInvalid('JWE authentication tag must be 128 bits');
  if (encryptedKey.length === 0) throw new JweInvalid('JWE encrypted key is empty');
  return { header: header as JweHeader, aad: Buffer.from(headerPart, 'ascii'), encryptedKey, iv, ciphertext, tag };
}

/**
 * Unwraps the CEK with `ops` and decrypts. If OAEP decoding fails or yields a CEK of the wrong
 * length, decryption proceeds with a random CEK so that the failure surfaces at the GCM tag with the
 * same error and similar timing (RFC 7516 section 11.5, against Manger-style oracles).
 */
export async function decryptCompactJwe(jwe: ParsedJwe, privateKey: KeyObject, ops: PrivateOperations): Promise<Buffer> {
  const { cipher, keyLength } = JWE_CONTENT_ENCRYPTIONS[jwe.header.enc];
  let cek = await ops.unwrap(privateKey, jwe.header.alg, jwe.encryptedKey);
  if (!cek || cek.length !== keyLength) cek = randomBytesFromPool(keyLength);
  try {
    const gcm = createDecipheriv(cipher, cek, jwe.iv, { authTagLength: GCM_TAG_BYTES });
    gcm.setAAD(jwe.aad);
    gcm.setAuthTag(jwe.tag);
    return Buffer.concat([gcm.update(jwe.ciphertext), gcm.final()]);
  } catch {
    throw new JweDecryptionFailed('JWE decryption failed');
  }
}
