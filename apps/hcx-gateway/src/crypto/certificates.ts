import { X509Certificate } from 'node:crypto';
import { HcxError } from '../errors';

const MIN_RSA_BITS = 2048;

/**
 * Participant encryption/signing certificates: PEM X.509, RSA of at least 2048 bits (JWE with
 * RSA-OAEP and RS256 both need RSA), currently valid. Rejected on entry rather than at first use.
 */
export function validateRsaCertificate(pem: string, field: string, now: Date): string {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new HcxError('ERR_INVALID_CERTIFICATE', `${field} is not a PEM X.509 certificate`);
  }
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw new HcxError('ERR_INVALID_CERTIFICATE', `${field} must hold an RSA public key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new HcxError('ERR_INVALID_CERTIFICATE', `${field} RSA key must be at least ${MIN_RSA_BITS} bits`);
  if (new Date(certificate.validTo).getTime() < now.getTime() || new Date(certificate.validFrom).getTime() > now.getTime()) {
    throw new HcxError('ERR_INVALID_CERTIFICATE', `${field} is not valid at this time`);
  }
  return certificate.toString();
}
