import { createVerifier, isSignatureTokenError } from '@npi/signature-token';
import { ValidationFailedError } from '../domain/errors';

/**
 * A member certificate is registered only if @npi/signature-token would accept it (X.509, RSA of at
 * least 2048 bits, valid now): better refused at registration than at the member's first payment.
 */
export function parseCertificateForRegistration(certificatePem: string, now: Date): string {
  const verifier = createVerifier({ clock: () => now });
  try {
    verifier.verify('probe', 'AA==', certificatePem);
  } catch (error) {
    if (isSignatureTokenError(error) && (error.code === 'ERR_SIGNATURE_MALFORMED' || error.code === 'ERR_SIGNATURE_INVALID')) return certificatePem;
    throw new ValidationFailedError('validation failed', undefined, [{ field: 'certificatePem', message: (error as Error).message }]);
  }
  return certificatePem;
}
