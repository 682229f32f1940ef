import { buildResponseTokenString, createVerifier, isSignatureTokenError, loadSigner } from '@npi/signature-token';
import type { Signer, TransactionResponseBody, Verifier } from '@npi/signature-token';
import type { Clock } from '@npi/service-runtime';

/**
 * NPI's own signature over its answers (docs/npi-reference.md "Signature token strings", decided): the
 * answer's financial fields, signed with NPI's PFX key; members verify it with NPI's certificate
 * (`GET /api/npi-certificate`).
 */
export class NpiResponseSigner {
  constructor(private readonly signer: Signer) {}

  static fromPfx(pfxBase64: string, passphrase: string): NpiResponseSigner {
    return new NpiResponseSigner(loadSigner(Buffer.from(pfxBase64, 'base64'), passphrase));
  }

  get certificatePem(): string {
    return this.signer.certificatePem;
  }

  /** NPI's signature over the exact bytes of an answer body (the `X-NPI-Token` header), off the event loop. */
  signBytes(bytes: Uint8Array): Promise<string> {
    return this.signer.signBytesAsync(bytes);
  }

  /** The `token` of a transaction answer, off the event loop. */
  signAnswer(answer: TransactionResponseBody): Promise<string> {
    return this.signer.signAsync(buildResponseTokenString(answer));
  }

  /**
   * The `token` of a refusal: `batchId,responseCode,` (no debit leg ran). Undefined without a batch
   * id. Synchronous: the exception filters that render refusals answer synchronously.
   */
  signRefusal(batchId: string | undefined, responseCode: string): string | undefined {
    if (!batchId) return undefined;
    try {
      return this.signer.sign(buildResponseTokenString({ cipsBatchResponse: { batchId, responseCode, debitStatus: null } }));
    } catch (error) {
      // A batchId that cannot be part of a token string (a comma, ...): answer without a token.
      if (isSignatureTokenError(error)) return undefined;
      throw error;
    }
  }
}

export function memberTokenVerifier(clock: Clock): Verifier {
  return createVerifier({ clock: () => clock.now() });
}
