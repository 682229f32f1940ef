import { KeyObject, X509Certificate } from 'node:crypto';
import { CertificateError } from '../errors';
import { MINIMUM_RSA_MODULUS_BITS, rsaModulusLength } from '../lib/key-policy';

/** A member's X.509 certificate: PEM text, DER bytes, or an already parsed `X509Certificate`. */
export type CertificateInput = string | Uint8Array | X509Certificate;

/** A certificate that passed the key policy, with what verification needs pre-computed. */
export interface ParsedCertificate {
  readonly certificate: X509Certificate;
  readonly publicKey: KeyObject;
  readonly modulusBytes: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * Parses a certificate with `node:crypto` and applies the key policy: an RSA key of at least
 * 2048 bits. Validity dates are checked per use (see `checkValidity`), not here, so the parsed
 * form can be cached.
 * @throws CertificateError `ERR_CERTIFICATE_INVALID`, `ERR_KEY_TOO_SMALL`.
 */
export function parseCertificate(input: CertificateInput): ParsedCertificate {
  let certificate: X509Certificate;
  if (input instanceof X509Certificate) {
    certificate = input;
  } else {
    if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
      throw new CertificateError('ERR_CERTIFICATE_INVALID', 'certificate must be PEM text, DER bytes or an X509Certificate');
    }
    try {
      certificate = new X509Certificate(input);
    } catch {
      throw new CertificateError('ERR_CERTIFICATE_INVALID', 'certificate could not be parsed as an X.509 certificate (PEM or DER)');
    }
  }
  const publicKey = certificate.publicKey;
  const bits = rsaModulusLength(publicKey);
  if (bits === undefined) {
    throw new CertificateError(
      'ERR_CERTIFICATE_INVALID',
      `certificate key is ${publicKey.asymmetricKeyType ?? 'of an unknown type'}; SHA256withRSA needs an RSA key`,
    );
  }
  if (bits < MINIMUM_RSA_MODULUS_BITS) {
    throw new CertificateError('ERR_KEY_TOO_SMALL', `certificate key is ${bits}-bit RSA; at least ${MINIMUM_RSA_MODULUS_BITS} bits are required`);
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new CertificateError('ERR_CERTIFICATE_INVALID', 'certificate validity dates could not be read');
  }
  return { certificate, publicKey, modulusBytes: Math.ceil(bits / 8), notBefore, notAfter };
}

/**
 * RFC 5280 section 4.1.2.5: the certificate is valid from notBefore to notAfter, both inclusive.
 * @throws CertificateError `ERR_CERTIFICATE_NOT_YET_VALID`, `ERR_CERTIFICATE_EXPIRED`.
 */
export function checkValidity(parsed: ParsedCertificate, now: Date): void {
  const time = now.getTime();
  if (Number.isNaN(time)) throw new TypeError('clock returned an invalid Date');
  if (time < parsed.notBefore.getTime()) {
    throw new CertificateError('ERR_CERTIFICATE_NOT_YET_VALID', `certificate is not valid before ${parsed.notBefore.toISOString()}`);
  }
  if (time > parsed.notAfter.getTime()) {
    throw new CertificateError('ERR_CERTIFICATE_EXPIRED', `certificate expired at ${parsed.notAfter.toISOString()}`);
  }
}
