import { AlgNotAllowed, HeaderNotAllowed } from '../errors';
import { hasOwn, type JsonObject } from './json';

/**
 * Header parameters refused in every protected header, checked before any key is touched:
 * - `jku`, `jwk`, `x5u`, `x5c`: a key (or a URL to fetch one) chosen by the attacker; keys come only
 *   from our own key sets, selected by `kid` (RFC 8725 section 3.10).
 * - `crit`: we implement no extensions, so any `crit` is one we do not understand and the token MUST
 *   be rejected (RFC 7515 section 4.1.11, RFC 7516 section 4.1.13).
 * - `zip`: compression before encryption leaks plaintext length patterns (RFC 8725 section 3.6) and
 *   invites decompression bombs.
 * - `b64` (JWS only, RFC 7797): unencoded payloads are not JWTs.
 */
const FORBIDDEN_HEADERS = ['crit', 'zip', 'jku', 'jwk', 'x5u', 'x5c', 'b64'] as const;

export function assertNoForbiddenHeaders(header: JsonObject, where: 'JWE' | 'JWS'): void {
  for (const name of FORBIDDEN_HEADERS) {
    if (hasOwn(header, name)) throw new HeaderNotAllowed(`${where} header parameter "${name}" is not allowed`, name);
  }
}

/** Refuses `alg` (or `enc`) values outside `allowed`; the value is an identifier, safe to echo. */
export function assertAllowed(value: string, allowed: readonly string[], what: string): void {
  if (!allowed.includes(value)) {
    throw new AlgNotAllowed(`${what} ${JSON.stringify(value.slice(0, 32))} is not allowed`);
  }
}
