import * as api from './index';
import { EnvelopeError, type EnvelopeErrorCode } from './errors';

describe('errors', () => {
  type ErrorClass = new (message: string, detail: string) => EnvelopeError;
  const classes = (Object.values(api) as unknown[]).filter(
    (value): value is ErrorClass => typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof EnvelopeError,
  );

  it('exports one class per code, each an EnvelopeError with a stable code and its own name', () => {
    const instances = classes.map((ErrorClass) => new ErrorClass('message', 'detail'));
    const codes = instances.map((error) => error.code);
    expect(new Set(codes).size).toBe(classes.length);
    const expected: EnvelopeErrorCode[] = [
      'ERR_JWE_INVALID', 'ERR_JWE_DECRYPTION_FAILED', 'ERR_JWS_INVALID', 'ERR_JWS_SIGNATURE_INVALID', 'ERR_ALG_NOT_ALLOWED',
      'ERR_HEADER_NOT_ALLOWED', 'ERR_KEY_TOO_SMALL', 'ERR_KEY_INVALID', 'ERR_UNKNOWN_KID', 'ERR_TOKEN_EXPIRED', 'ERR_TOKEN_NOT_YET_VALID',
      'ERR_TOKEN_TOO_OLD', 'ERR_TOKEN_REPLAYED', 'ERR_CLAIM_MISSING', 'ERR_CLAIM_INVALID', 'ERR_AUDIENCE_MISMATCH', 'ERR_UNKNOWN_SENDER',
      'ERR_TOKEN_TOO_LARGE', 'ERR_JWKS_FETCH_FAILED', 'ERR_PRIVATE_KEY_POOL_FAILED',
    ];
    expect([...codes].sort()).toEqual([...expected].sort());
    for (const error of instances) {
      expect(error).toBeInstanceOf(Error);
      expect(api.isEnvelopeError(error)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('carries the claim or header name where it has one', () => {
    expect(new api.ClaimMissing('m', 'session_id').claim).toBe('session_id');
    expect(new api.ClaimInvalid('m', 'exp').claim).toBe('exp');
    expect(new api.HeaderNotAllowed('m', 'jku').header).toBe('jku');
  });
});
