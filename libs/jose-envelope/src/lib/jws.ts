import { KeyObject, verify } from 'node:crypto';
import { AlgNotAllowed, JwsInvalid } from '../errors';
import { JWS_ALGORITHMS, isJwsAlgorithm, type JwsAlgorithm } from './algorithms';
import { decodeBase64url, encodeBase64url } from './base64url';
import { assertNoForbiddenHeaders } from './header-policy';
import { parseJsonObject, type JsonObject } from './json';
import { modulusBytes } from './key-policy';
import type { PrivateOperations } from './private-operations';

export interface JwsHeader extends JsonObject {
  alg: JwsAlgorithm;
  kid?: string;
  typ?: string;
}

export interface ParsedJws {
  header: JwsHeader;
  /** ASCII bytes of `BASE64URL(header) '.' BASE64URL(payload)` (RFC 7515 section 5.1 step 6). */
  signingInput: Buffer;
  payload: Buffer;
  signature: Buffer;
}

/** Compact JWS (RFC 7515 section 7.1) over `payload`, signed by `ops` (worker or in-process). */
export async function signCompactJws(
  header: JsonObject & { alg: JwsAlgorithm },
  payload: Uint8Array | string,
  key: KeyObject,
  ops: PrivateOperations,
): Promise<string> {
  const signingInput = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(payload)}`;
  // Own ArrayBuffer (not a slice of Buffer's shared pool): the worker pool then sends it as is.
  const bytes = Buffer.allocUnsafeSlow(signingInput.length);
  bytes.write(signingInput, 'latin1');
  const signature = await ops.sign(key, header.alg, bytes);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/**
 * Parses a compact JWS and applies the header policy that does not depend on the sender:
 * forbidden parameters, then `alg` must be one of the RSA algorithms this library implements
 * (`none` and HMAC fail here, before any key lookup).
 */
export function parseCompactJws(token: Buffer | string): ParsedJws {
  // Works on the decrypted bytes directly: the signing input is then a view, not a copy.
  const bytes = typeof token === 'string' ? Buffer.from(token, 'latin1') : token;
  const firstDot = bytes.indexOf(0x2e);
  const secondDot = firstDot < 0 ? -1 : bytes.indexOf(0x2e, firstDot + 1);
  if (secondDot < 0 || bytes.indexOf(0x2e, secondDot + 1) !== -1) throw new JwsInvalid('nested token is not a compact JWS (expected 3 parts)');
  const headerBytes = decodeBase64url(bytes.toString('latin1', 0, firstDot));
  const payload = decodeBase64url(bytes.toString('latin1', firstDot + 1, secondDot));
  const signature = decodeBase64url(bytes.toString('latin1', secondDot + 1));
  if (!headerBytes || !payload || !signature) throw new JwsInvalid('JWS part is not valid base64url');
  const header = parseJsonObject(headerBytes);
  if (!header) throw new JwsInvalid('JWS protected header is not a JSON object');
  assertNoForbiddenHeaders(header, 'JWS');
  if (typeof header.alg !== 'string') throw new JwsInvalid('JWS header "alg" is missing');
  if (!isJwsAlgorithm(header.alg)) throw new AlgNotAllowed(`JWS alg ${JSON.stringify(header.alg.slice(0, 32))} is not allowed`);
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new JwsInvalid('JWS header "kid" must be a string');
  return {
    header: header as JwsHeader,
    signingInput: bytes.subarray(0, secondDot),
    payload,
    signature,
  };
}

/** RSASSA-PSS (salt length = hash length, RFC 7518 section 3.5) or RSASSA-PKCS1-v1_5. */
export function verifyJwsSignature(alg: JwsAlgorithm, key: KeyObject, signingInput: Buffer, signature: Buffer): boolean {
  if (signature.length !== modulusBytes(key)) return false;
  const { hash, padding, saltLength } = JWS_ALGORITHMS[alg];
  try {
    return verify(hash, signingInput, { key, padding, saltLength }, signature);
  } catch {
    return false;
  }
}
