import {
  CertificateError,
  CredentialError,
  isSignatureTokenError,
  SIGNATURE_TOKEN_ERROR_CODES,
  SignatureError,
  SignatureTokenError,
  type SignatureTokenErrorCode,
  TokenStringError,
} from './errors';

/** Compile-time check that the list and the union agree: adding a code breaks this switch. */
function describeCode(code: SignatureTokenErrorCode): string {
  switch (code) {
    case 'ERR_AMOUNT_INVALID':
    case 'ERR_FIELD_MISSING':
    case 'ERR_FIELD_INVALID':
      return 'token string';
    case 'ERR_PFX_INVALID':
    case 'ERR_PFX_PASSPHRASE':
    case 'ERR_KEY_TOO_SMALL':
      return 'credentials';
    case 'ERR_CERTIFICATE_INVALID':
    case 'ERR_CERTIFICATE_EXPIRED':
    case 'ERR_CERTIFICATE_NOT_YET_VALID':
      return 'certificate';
    case 'ERR_SIGNATURE_INVALID':
    case 'ERR_SIGNATURE_MALFORMED':
      return 'signature';
  }
}

describe('errors', () => {
  it('lists eleven distinct codes, each handled by an exhaustive switch', () => {
    expect(new Set(SIGNATURE_TOKEN_ERROR_CODES).size).toBe(11);
    for (const code of SIGNATURE_TOKEN_ERROR_CODES) expect(describeCode(code)).toEqual(expect.any(String));
  });

  it('every error class is a SignatureTokenError and an Error, named after its class', () => {
    const errors = [
      new TokenStringError('ERR_FIELD_MISSING', 'userId', 'userId is required'),
      new CredentialError('ERR_PFX_PASSPHRASE', 'PFX passphrase is wrong'),
      new CertificateError('ERR_CERTIFICATE_EXPIRED', 'certificate expired'),
      new SignatureError('ERR_SIGNATURE_INVALID', 'token does not verify'),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(SignatureTokenError);
      expect(error).toBeInstanceOf(Error);
      expect(isSignatureTokenError(error)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(errors[0]).toMatchObject({ code: 'ERR_FIELD_MISSING', field: 'userId' });
  });

  it('isSignatureTokenError is false for other errors', () => {
    expect(isSignatureTokenError(new Error('x'))).toBe(false);
    expect(isSignatureTokenError({ code: 'ERR_SIGNATURE_INVALID' })).toBe(false);
  });
});
