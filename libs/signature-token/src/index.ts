// Public API of @npi/signature-token (README.md). Everything else under src/ is internal.
export { buildRealTimeTokenString } from './token-strings/real-time';
export { buildNonRealTimeTokenString, MAX_NON_REAL_TIME_TRANSACTIONS } from './token-strings/non-real-time';
export { buildBillersConfirmTokenString } from './token-strings/billers-confirm';
export { buildResponseTokenString } from './token-strings/response';
export { amountToPaisa, canonicalAmount, paisaToAmount } from './amount';
export type { Amount } from './amount';
export type {
  BatchDetail,
  TransactionDetail,
  RealTimeRequest,
  NonRealTimeRequest,
  BillersTransactionDetail,
  BillersConfirmRequest,
  BatchResponse,
  TransactionResponse,
  TransactionResponseBody,
} from './types';
export { loadSigner, sign } from './sign';
export type { Signer } from './sign';
export { createVerifier, verify } from './verify';
export type { Verifier, VerifierOptions } from './verify';
export type { CertificateInput } from './keys/certificate';
export { MINIMUM_RSA_MODULUS_BITS } from './lib/key-policy';
export {
  SignatureTokenError,
  TokenStringError,
  CredentialError,
  CertificateError,
  SignatureError,
  isSignatureTokenError,
  SIGNATURE_TOKEN_ERROR_CODES,
} from './errors';
export type {
  SignatureTokenErrorCode,
  TokenStringErrorCode,
  CredentialErrorCode,
  CertificateErrorCode,
  SignatureErrorCode,
} from './errors';
// Standalone mode creates a demo member's PFX with it; tests use it everywhere.
export { generateMemberCredentials } from './testing/generate-credentials';
export type { MemberCredentials, MemberCredentialsOptions } from './testing/generate-credentials';
