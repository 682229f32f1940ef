import { hasDuplicateMembers } from '@npi/jose-envelope';

/** The only JWS header parameters the platform's issuers write (auth-service, the HCX instance). */
const HEADER_PARAMETERS = new Set(['alg', 'kid', 'typ']);

/**
 * Why a compact JWS must be refused before any signature work, or undefined: a header or claims
 * part that names a JSON member twice (parsers disagree on which one wins), or a header parameter
 * the issuer never writes (`jku`, `jwk`, `x5u`, `zip`, `crit`...).
 */
export function plainTokenJsonProblem(token: string): string | undefined {
  const [header, payload] = token.split('.');
  const texts = [header, payload].map((part) => Buffer.from(part ?? '', 'base64url').toString('utf8'));
  if (texts.some((text) => hasDuplicateMembers(text))) return 'duplicate JSON members';
  let names: string[];
  try {
    names = Object.keys(JSON.parse(texts[0]) as object);
  } catch {
    return 'header';
  }
  return names.some((name) => !HEADER_PARAMETERS.has(name)) ? 'header parameter not allowed' : undefined;
}
