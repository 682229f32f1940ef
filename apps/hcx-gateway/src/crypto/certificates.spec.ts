import { certificateWith } from '../../test/support/test-certificates';
import { HcxError } from '../errors';
import { hcxAnswerOf } from '../hcx-errors.filter';
import { validateRsaCertificate } from './certificates';

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(HcxError);
    return { ...hcxAnswerOf(error as HcxError), message: (error as HcxError).message };
  }
  throw new Error('accepted');
};

describe('validateRsaCertificate: key usage', () => {
  const now = new Date();

  it('accepts certificates without a keyUsage extension for both purposes', () => {
    const pem = certificateWith();
    expect(validateRsaCertificate(pem, 'encryption_cert', now, 'encryption')).toContain('BEGIN CERTIFICATE');
    expect(validateRsaCertificate(pem, 'signing_cert', now, 'signing')).toContain('BEGIN CERTIFICATE');
  });

  it('encryption needs keyEncipherment or dataEncipherment', () => {
    expect(validateRsaCertificate(certificateWith({ keyEncipherment: true }), 'encryption_cert', now, 'encryption')).toBeTruthy();
    expect(validateRsaCertificate(certificateWith({ dataEncipherment: true }), 'encryption_cert', now, 'encryption')).toBeTruthy();
    expect(refusal(() => validateRsaCertificate(certificateWith({ digitalSignature: true }), 'encryption_cert', now, 'encryption'))).toEqual({
      code: 'ERR_INVALID_CERTIFICATE',
      status: 400,
      message: 'encryption_cert key usage does not allow encryption',
    });
  });

  it('signing needs digitalSignature', () => {
    expect(validateRsaCertificate(certificateWith({ digitalSignature: true, keyEncipherment: true }), 'signing_cert', now, 'signing')).toBeTruthy();
    expect(refusal(() => validateRsaCertificate(certificateWith({ keyEncipherment: true }), 'signing_cert', now, 'signing'))).toEqual({
      code: 'ERR_INVALID_CERTIFICATE',
      status: 400,
      message: 'signing_cert key usage does not allow signatures',
    });
  });

  it('still refuses expired certificates and keeps the PEM as parsed', () => {
    const expired = certificateWith(undefined, { from: new Date(Date.now() - 10 * 24 * 3600_000), to: new Date(Date.now() - 24 * 3600_000) });
    expect(refusal(() => validateRsaCertificate(expired, 'encryption_cert', now, 'encryption')).message).toBe('encryption_cert is not valid at this time');
  });
});
