// Public API of @npi/jose-envelope. Everything else (src/lib/**) is internal.
export { seal } from './seal';
export type { JwtClaims, SealSigner, SealRecipient, SealOptions } from './seal';

export { open, DEFAULT_MAX_TOKEN_BYTES } from './open';
export type { OpenOptions, OpenResult, Sender, SenderResolver, UnverifiedToken, ReplayOptions, JweHeader, JwsHeader } from './open';

export { importPrivateKey, importPublicKey } from './keys/import';
export type { KeyInput, ImportPrivateKeyOptions } from './keys/import';
export { KeySet } from './keys/key-set';
export type { KeyEntry, KeyLookup, KeyUse } from './keys/key-set';
export { MIN_RSA_MODULUS_BITS } from './lib/key-policy';
export { hasDuplicateMembers } from './lib/json';
export type { JwsAlgorithm, JweKeyAlgorithm, JweContentEncryption } from './lib/algorithms';

export { toPublicJwks } from './jwks/serve';
export type { PublicJwk, PublicJwks } from './jwks/serve';
export { RemoteJwks, createRemoteJwks } from './jwks/remote';
export type { RemoteJwksOptions, FetchLike } from './jwks/remote';

export type { ReplayStore } from './replay/replay-store';
export { InMemoryReplayStore } from './replay/in-memory-replay-store';
export type { InMemoryReplayStoreOptions } from './replay/in-memory-replay-store';

export { PrivateKeyPool, closeDefaultPrivateKeyPool } from './private-key-pool';
export type { PrivateKeyPoolOptions } from './private-key-pool';

export {
  EnvelopeError,
  isEnvelopeError,
  JweInvalid,
  JweDecryptionFailed,
  JwsInvalid,
  JwsSignatureInvalid,
  AlgNotAllowed,
  HeaderNotAllowed,
  KeyTooSmall,
  KeyInvalid,
  UnknownKid,
  TokenExpired,
  TokenNotYetValid,
  TokenTooOld,
  TokenReplayed,
  ClaimMissing,
  ClaimInvalid,
  AudienceMismatch,
  UnknownSender,
  TokenTooLarge,
  JwksFetchFailed,
  PrivateKeyPoolFailed,
} from './errors';
export type { EnvelopeErrorCode } from './errors';
