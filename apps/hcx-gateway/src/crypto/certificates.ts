import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { HcxError } from '../errors';

const MIN_RSA_BITS = 2048;

/** What a participant certificate is for: JWE key transport to the participant, or its RS256 signatures. */
export type CertificatePurpose = 'encryption' | 'signing';

type KeyUsage = Partial<Record<'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign', boolean>>;

/** The X.509 keyUsage extension (node:crypto exposes only the extended key usage), or undefined when absent. */
function keyUsageOf(pem: string): KeyUsage | undefined {
  try {
    return forge.pki.certificateFromPem(pem).getExtension('keyUsage') as KeyUsage | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Participant encryption/signing certificates: PEM X.509, RSA of at least 2048 bits (JWE with
 * RSA-OAEP and RS256 both need RSA), currently valid, and — when the certificate carries a keyUsage
 * extension — a usage that fits: keyEncipherment or dataEncipherment for the encryption
 * certificate (RSA-OAEP wraps the content key), digitalSignature for the signing certificate.
 * Rejected on entry rather than at first use.
 */
export function validateRsaCertificate(pem: string, field: string, now: Date, purpose?: CertificatePurpose): string {
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
  const pemText = certificate.toString();
  const usage = purpose ? keyUsageOf(pemText) : undefined;
  if (usage && purpose === 'encryption' && !usage.keyEncipherment && !usage.dataEncipherment) {
    throw new HcxError('ERR_INVALID_CERTIFICATE', `${field} key usage does not allow encryption`, 'the keyUsage extension must include keyEncipherment or dataEncipherment');
  }
  if (usage && purpose === 'signing' && !usage.digitalSignature) {
    throw new HcxError('ERR_INVALID_CERTIFICATE', `${field} key usage does not allow signatures`, 'the keyUsage extension must include digitalSignature');
  }
  return pemText;
}

/** notAfter of a stored certificate (undefined when it cannot be read). */
export function certificateExpiry(pem: string): Date | undefined {
  try {
    return new Date(new X509Certificate(pem).validTo);
  } catch {
    return undefined;
  }
}
