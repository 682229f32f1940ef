/**
 * Every failure of this library is an `EnvelopeError` whose `code` is one of the closed union
 * `EnvelopeErrorCode`, so callers `switch (error.code)` and map codes to their protocol at the edge
 * (NCHL's 800 for Billers, `{error: {code}}` for HCX, ...).
 *
 * Messages are fixed strings plus, at most, a claim or header *name* or an algorithm identifier:
 * never key material, never plaintext, never a claim value (a leaked `session_id` in a log is a
 * replayable bearer secret until its session ends).
 */

export type EnvelopeErrorCode =
  | 'ERR_JWE_INVALID'
  | 'ERR_JWE_DECRYPTION_FAILED'
  | 'ERR_JWS_INVALID'
  | 'ERR_JWS_SIGNATURE_INVALID'
  | 'ERR_ALG_NOT_ALLOWED'
  | 'ERR_HEADER_NOT_ALLOWED'
  | 'ERR_KEY_TOO_SMALL'
  | 'ERR_KEY_INVALID'
  | 'ERR_UNKNOWN_KID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_TOKEN_TOO_OLD'
  | 'ERR_TOKEN_REPLAYED'
  | 'ERR_CLAIM_MISSING'
  | 'ERR_CLAIM_INVALID'
  | 'ERR_AUDIENCE_MISMATCH'
  | 'ERR_UNKNOWN_SENDER'
  | 'ERR_TOKEN_TOO_LARGE'
  | 'ERR_JWKS_FETCH_FAILED'
  | 'ERR_PRIVATE_KEY_POOL_FAILED';

/** Base class: `instanceof EnvelopeError` catches everything this library throws on purpose. */
export abstract class EnvelopeError extends Error {
  abstract readonly code: EnvelopeErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The outer token is not a well-formed compact JWE, or not a nested JWT (`cty`). */
export class JweInvalid extends EnvelopeError {
  readonly code = 'ERR_JWE_INVALID' as const;
}

/**
 * The CEK could not be unwrapped or the AES-GCM tag did not verify. The two cases share one code
 * and one message on purpose (RFC 7516 section 11.5: do not reveal which step failed).
 */
export class JweDecryptionFailed extends EnvelopeError {
  readonly code = 'ERR_JWE_DECRYPTION_FAILED' as const;
}

/** The decrypted content is not a well-formed compact JWS with a JSON object payload. */
export class JwsInvalid extends EnvelopeError {
  readonly code = 'ERR_JWS_INVALID' as const;
}

export class JwsSignatureInvalid extends EnvelopeError {
  readonly code = 'ERR_JWS_SIGNATURE_INVALID' as const;
}

/** `alg`/`enc` not in the allowlist that applies (JWE settings, or the sender's JWS allowlist). */
export class AlgNotAllowed extends EnvelopeError {
  readonly code = 'ERR_ALG_NOT_ALLOWED' as const;
}

/** `crit`, `zip`, `jku`, `jwk`, `x5u`, `x5c` (or `b64`) in a protected header. */
export class HeaderNotAllowed extends EnvelopeError {
  readonly code = 'ERR_HEADER_NOT_ALLOWED' as const;
  constructor(
    message: string,
    readonly header: string,
  ) {
    super(message);
  }
}

/** RSA modulus under the minimum (seed 000 section 3.2: at least 2048 bits). */
export class KeyTooSmall extends EnvelopeError {
  readonly code = 'ERR_KEY_TOO_SMALL' as const;
}

/** Key unparseable, of the wrong type (not RSA, public where private is needed, ...) or unusable. */
export class KeyInvalid extends EnvelopeError {
  readonly code = 'ERR_KEY_INVALID' as const;
}

/** No key with that `kid` (or no `kid` and more than one candidate key). */
export class UnknownKid extends EnvelopeError {
  readonly code = 'ERR_UNKNOWN_KID' as const;
}

export class TokenExpired extends EnvelopeError {
  readonly code = 'ERR_TOKEN_EXPIRED' as const;
}

/** `nbf` in the future, or `iat` in the future (beyond the clock skew). */
export class TokenNotYetValid extends EnvelopeError {
  readonly code = 'ERR_TOKEN_NOT_YET_VALID' as const;
}

/** `iat` older than the configured maximum token age. */
export class TokenTooOld extends EnvelopeError {
  readonly code = 'ERR_TOKEN_TOO_OLD' as const;
}

/** The replay-guard claim (`jti`, or e.g. `session_id`) was already used. */
export class TokenReplayed extends EnvelopeError {
  readonly code = 'ERR_TOKEN_REPLAYED' as const;
}

export class ClaimMissing extends EnvelopeError {
  readonly code = 'ERR_CLAIM_MISSING' as const;
  constructor(
    message: string,
    readonly claim: string,
  ) {
    super(message);
  }
}

export class ClaimInvalid extends EnvelopeError {
  readonly code = 'ERR_CLAIM_INVALID' as const;
  constructor(
    message: string,
    readonly claim: string,
  ) {
    super(message);
  }
}

export class AudienceMismatch extends EnvelopeError {
  readonly code = 'ERR_AUDIENCE_MISMATCH' as const;
}

/** The sender resolver did not recognise the sender (or threw). */
export class UnknownSender extends EnvelopeError {
  readonly code = 'ERR_UNKNOWN_SENDER' as const;
}

/** Input larger than the configured maximum; refused before any parsing or cryptography. */
export class TokenTooLarge extends EnvelopeError {
  readonly code = 'ERR_TOKEN_TOO_LARGE' as const;
}

/** A remote JWKS could not be fetched or parsed (network, status, size, JSON shape). */
export class JwksFetchFailed extends EnvelopeError {
  readonly code = 'ERR_JWKS_FETCH_FAILED' as const;
}

/** A private-key worker died or could not start while an operation was in flight. */
export class PrivateKeyPoolFailed extends EnvelopeError {
  readonly code = 'ERR_PRIVATE_KEY_POOL_FAILED' as const;
}

export function isEnvelopeError(error: unknown): error is EnvelopeError {
  return error instanceof EnvelopeError;
}
