/**
 * Every failure of this library is a `SignatureTokenError` whose `code` is one of a closed union,
 * so callers `switch (error.code)` (payment-service maps all of them to NCHL's `E003`, or refuses
 * to start for the PFX codes). Messages name fields and files, never field values, key material or
 * passphrases: they may be logged and returned to members.
 */

/** The token string could not be built: an input field is absent, unsafe or an invalid amount. */
export type TokenStringErrorCode = 'ERR_AMOUNT_INVALID' | 'ERR_FIELD_MISSING' | 'ERR_FIELD_INVALID';

/** The signer's PKCS#12 file could not be used. */
export type CredentialErrorCode = 'ERR_PFX_INVALID' | 'ERR_PFX_PASSPHRASE' | 'ERR_KEY_TOO_SMALL';

/** The member's certificate could not be used (ERR_KEY_TOO_SMALL: its RSA key is under 2048 bits). */
export type CertificateErrorCode =
  | 'ERR_CERTIFICATE_INVALID'
  | 'ERR_CERTIFICATE_EXPIRED'
  | 'ERR_CERTIFICATE_NOT_YET_VALID'
  | 'ERR_KEY_TOO_SMALL';

/** The `token` is not a well-formed signature, or it does not verify. */
export type SignatureErrorCode = 'ERR_SIGNATURE_INVALID' | 'ERR_SIGNATURE_MALFORMED';

export type SignatureTokenErrorCode =
  | TokenStringErrorCode
  | CredentialErrorCode
  | CertificateErrorCode
  | SignatureErrorCode;

/** Every code, for exhaustive tests and for documentation tables. */
export const SIGNATURE_TOKEN_ERROR_CODES: readonly SignatureTokenErrorCode[] = [
  'ERR_AMOUNT_INVALID',
  'ERR_FIELD_MISSING',
  'ERR_FIELD_INVALID',
  'ERR_PFX_INVALID',
  'ERR_PFX_PASSPHRASE',
  'ERR_KEY_TOO_SMALL',
  'ERR_CERTIFICATE_INVALID',
  'ERR_CERTIFICATE_EXPIRED',
  'ERR_CERTIFICATE_NOT_YET_VALID',
  'ERR_SIGNATURE_INVALID',
  'ERR_SIGNATURE_MALFORMED',
];

export abstract class SignatureTokenError extends Error {
  abstract readonly code: SignatureTokenErrorCode;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class TokenStringError extends SignatureTokenError {
  /** Path of the offending input field, e.g. `nchlIpsTransactionDetailList[42].amount`. */
  readonly field: string;

  constructor(
    readonly code: TokenStringErrorCode,
    field: string,
    message: string,
  ) {
    super(message);
    this.field = field;
  }
}

export class CredentialError extends SignatureTokenError {
  constructor(
    readonly code: CredentialErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class CertificateError extends SignatureTokenError {
  constructor(
    readonly code: CertificateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class SignatureError extends SignatureTokenError {
  constructor(
    readonly code: SignatureErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True for any error thrown by this library (narrowing `unknown` in a catch block). */
export function isSignatureTokenError(error: unknown): error is SignatureTokenError {
  return error instanceof SignatureTokenError;
}
