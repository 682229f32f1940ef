import {
  AudienceMismatch,
  ClaimInvalid,
  ClaimMissing,
  TokenExpired,
  TokenNotYetValid,
  TokenTooOld,
} from '../errors';
import { hasOwn, type JsonObject } from './json';

export interface ClaimRules {
  /** Current time in seconds since the epoch (may be fractional). */
  now: number;
  clockSkewSeconds: number;
  maxTokenAgeSeconds?: number;
  audience?: readonly string[];
  requiredClaims: readonly string[];
}

const NUMERIC_DATES = ['exp', 'nbf', 'iat'] as const;
const STRINGS = ['iss', 'sub', 'jti'] as const;

/**
 * JWT claim checks (RFC 7519 section 4.1). Time claims are checked whenever present, because
 * NCHL's Billers launch token has none and a token that has them must still honour them; which
 * claims must be present is the caller's `requiredClaims`.
 */
export function validateClaims(claims: JsonObject, rules: ClaimRules): void {
  for (const name of rules.requiredClaims) {
    if (!hasOwn(claims, name) || claims[name] === null || claims[name] === undefined) {
      throw new ClaimMissing(`claim "${name}" is required`, name);
    }
  }
  for (const name of NUMERIC_DATES) {
    if (hasOwn(claims, name) && (typeof claims[name] !== 'number' || !Number.isFinite(claims[name]))) {
      throw new ClaimInvalid(`claim "${name}" must be a NumericDate`, name);
    }
  }
  for (const name of STRINGS) {
    if (hasOwn(claims, name) && typeof claims[name] !== 'string') throw new ClaimInvalid(`claim "${name}" must be a string`, name);
  }
  const { now, clockSkewSeconds: skew } = rules;
  const exp = claims.exp as number | undefined;
  const nbf = claims.nbf as number | undefined;
  const iat = claims.iat as number | undefined;
  // RFC 7519 4.1.4: the current time MUST be before exp (plus a small leeway for clock skew).
  if (exp !== undefined && now >= exp + skew) throw new TokenExpired('token has expired');
  if (nbf !== undefined && now + skew < nbf) throw new TokenNotYetValid('token is not valid yet (nbf)');
  if (iat !== undefined && iat > now + skew) throw new TokenNotYetValid('token was issued in the future (iat)');
  if (rules.maxTokenAgeSeconds !== undefined) {
    if (iat === undefined) throw new ClaimMissing('claim "iat" is required when a maximum token age is set', 'iat');
    if (now - iat > rules.maxTokenAgeSeconds + skew) throw new TokenTooOld('token is older than the maximum token age');
  }
  checkAudience(claims, rules.audience);
}

// RFC 7519 4.1.3: a recipient that does not identify itself with a value in "aud", when present,
// MUST reject the JWT; so a token with "aud" fails where no audience is configured.
function checkAudience(claims: JsonObject, audience: readonly string[] | undefined): void {
  const present = hasOwn(claims, 'aud');
  if (!present) {
    if (audience) throw new ClaimMissing('claim "aud" is required', 'aud');
    return;
  }
  const aud = claims.aud;
  const values = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(values) || values.length === 0 || !values.every((value) => typeof value === 'string')) {
    throw new ClaimInvalid('claim "aud" must be a string or an array of strings', 'aud');
  }
  if (!audience || !values.some((value) => audience.includes(value as string))) {
    throw new AudienceMismatch('token audience does not match');
  }
}
