import { createHash } from 'node:crypto';
import {
  AlgNotAllowed,
  ClaimInvalid,
  ClaimMissing,
  JweInvalid,
  JwsInvalid,
  JwsSignatureInvalid,
  TokenReplayed,
  TokenTooLarge,
  UnknownKid,
  UnknownSender,
} from './errors';
import type { KeyLookup } from './keys/key-set';
import {
  DEFAULT_JWE_CONTENT_ENCRYPTIONS,
  DEFAULT_JWE_KEY_ALGORITHMS,
  DEFAULT_JWS_ALGORITHMS,
  type JweContentEncryption,
  type JweKeyAlgorithm,
  type JwsAlgorithm,
} from './lib/algorithms';
import { assertAllowed } from './lib/header-policy';
import { validateClaims } from './lib/claims';
import { hasOwn, parseJsonObject } from './lib/json';
import { decryptCompactJwe, parseCompactJwe, type JweHeader } from './lib/jwe';
import { parseCompactJws, verifyJwsSignature, type JwsHeader } from './lib/jws';
import { assertRsaKey } from './lib/key-policy';
import { privateOperations, type Offload } from './lib/options';
import type { ReplayStore } from './replay/replay-store';
import type { JwtClaims } from './seal';

export type { JweHeader, JwsHeader };

/** Who may have signed the inner JWS, and with which keys and algorithms. */
export interface Sender {
  /** Stable id of the sender (participant code, HCX participant code, ...); returned by `open`. */
  id: string;
  /** The sender's verification keys (`use: "sig"`), selected by the JWS `kid`. */
  keys: KeyLookup;
  /**
   * JWS algorithms accepted from this sender; default `["PS256"]`. Add `RS256` only for a sender
   * known to sign with it (seed 000 section 3.2 names RS256 in its verification step).
   */
  algorithms?: readonly JwsAlgorithm[];
}

/** What a `SenderResolver` sees. Nothing here is authenticated yet: use it only to pick keys. */
export interface UnverifiedToken {
  claims: JwtClaims;
  jwsHeader: JwsHeader;
  jweHeader: JweHeader;
}

/**
 * Finds the sender of a decrypted token, e.g. the participant named by its `participant_code`
 * claim (NCHL's launch token has no `iss`). Return undefined for an unknown sender
 * (`ERR_UNKNOWN_SENDER`); any error it throws (a database outage) propagates unchanged. The sender
 * is authenticated only once the signature verifies with one of the keys returned here.
 */
export type SenderResolver = (token: UnverifiedToken) => Sender | undefined | Promise<Sender | undefined>;

export interface ReplayOptions {
  store: ReplayStore;
  /** Single-use claim; default `jti`. NPI Billers launch tokens use `session_id`. Made required. */
  claim?: string;
  /**
   * How long the claim stays recorded when the token has neither `exp` nor a maximum age to bound
   * it; default 7 days. `Infinity` records it for good.
   */
  retentionSeconds?: number;
}

export interface OpenOptions {
  /** This service's private decryption keys (`use: "enc"`), selected by the JWE `kid`. */
  decryptionKeys: KeyLookup;
  /** A fixed sender, or a resolver that finds it from the (unverified) claims and headers. */
  sender: Sender | SenderResolver;
  /** Claims that must be present, e.g. `["participant_code", "session_id", "channel"]`. */
  requiredClaims?: readonly string[];
  /** When set, `aud` is required and must contain one of these. When unset, a token with `aud` fails. */
  audience?: string | readonly string[];
  /** Leeway for `exp`/`nbf`/`iat` and the maximum age; default 30 seconds. */
  clockSkewSeconds?: number;
  /** Refuses tokens whose `iat` is older than this (and makes `iat` required). */
  maxTokenAgeSeconds?: number;
  /** Single-use guard; checked last, so only otherwise valid tokens consume their identifier. */
  replay?: ReplayOptions;
  /** JWE algorithms accepted; default `RSA-OAEP-256` with `A256GCM` only. */
  jwe?: { algorithms?: readonly JweKeyAlgorithm[]; encryptions?: readonly JweContentEncryption[] };
  /** Longest token accepted, in characters; default 64 KiB. Checked before anything else. */
  maxTokenBytes?: number;
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
  /** Where the RSA-OAEP unwrap runs; default true (worker pool). */
  offload?: Offload;
}

export interface OpenResult {
  /** The verified claims. Their shape is the caller's to validate (e.g. with zod). */
  claims: JwtClaims;
  protectedHeader: { jwe: JweHeader; jws: JwsHeader };
  /** The authenticated sender and the `kid` of the key whose signature verified. */
  sender: { id: string; kid: string };
}

export const DEFAULT_MAX_TOKEN_BYTES = 64 * 1024;
const DEFAULT_CLOCK_SKEW_SECONDS = 30;
const DEFAULT_REPLAY_RETENTION_SECONDS = 7 * 24 * 3600;
const MAX_DATE_MS = 8.64e15;

/**
 * Opens a nested JWT made by `seal` (or any RFC 7519 section 5.2 producer): decrypts the JWE with the
 * private key its `kid` selects, verifies the inner JWS with the sender's key its `kid` selects,
 * then checks algorithms, claims, audience, age and replay. Every failure is an `EnvelopeError`.
 */
export async function open(jwe: string, options: OpenOptions): Promise<OpenResult> {
  const maxTokenBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  if (typeof jwe !== 'string') throw new JweInvalid('token must be a string');
  // Before any parsing: a multi-megabyte token must cost nothing but this comparison.
  if (jwe.length > maxTokenBytes) throw new TokenTooLarge(`token is larger than ${maxTokenBytes} bytes`);

  const parsedJwe = parseCompactJwe(jwe, {
    algorithms: options.jwe?.algorithms ?? DEFAULT_JWE_KEY_ALGORITHMS,
    encryptions: options.jwe?.encryptions ?? DEFAULT_JWE_CONTENT_ENCRYPTIONS,
  });
  const jweHeader = parsedJwe.header;
  // RFC 7519 section 5.2: a nested JWT carries cty "JWT" (a media type: case-insensitive, and
  // "application/" may be omitted, RFC 7515 section 4.1.10).
  if (typeof jweHeader.cty !== 'string' || !/^(application\/)?jwt$/i.test(jweHeader.cty)) {
    throw new JweInvalid('JWE header "cty" must be "JWT" (nested JWT)');
  }

  const decryption = await options.decryptionKeys.getKey(jweHeader.kid, 'enc');
  if (!decryption) throw new UnknownKid('no decryption key for the JWE kid');
  if (decryption.alg !== undefined && decryption.alg !== jweHeader.alg) throw new AlgNotAllowed('JWE alg does not match the key');
  assertRsaKey(decryption.key, 'private', 'decryption key');
  const plaintext = await decryptCompactJwe(parsedJwe, decryption.key, privateOperations(options.offload));

  const jws = parseCompactJws(plaintext);
  const jwsHeader = jws.header;
  const claims = parseJsonObject(jws.payload) as JwtClaims | undefined;
  if (!claims) throw new JwsInvalid('JWT claims set is not a JSON object');

  const sender = typeof options.sender === 'function' ? await options.sender({ claims, jwsHeader, jweHeader }) : options.sender;
  if (!sender || typeof sender.id !== 'string' || sender.id.length === 0) throw new UnknownSender('sender is not known');
  assertAllowed(jwsHeader.alg, sender.algorithms ?? DEFAULT_JWS_ALGORITHMS, 'JWS alg');
  const verification = await sender.keys.getKey(jwsHeader.kid, 'sig');
  if (!verification) throw new UnknownKid('no verification key for the JWS kid');
  if (verification.alg !== undefined && verification.alg !== jwsHeader.alg) throw new AlgNotAllowed('JWS alg does not match the key');
  assertRsaKey(verification.key, 'public', 'verification key');
  if (!verifyJwsSignature(jwsHeader.alg, verification.key, jws.signingInput, jws.signature)) {
    throw new JwsSignatureInvalid('JWS signature is invalid');
  }

  const nowMs = (options.now ?? Date.now)();
  const clockSkewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const replayClaim = options.replay ? (options.replay.claim ?? 'jti') : undefined;
  const requiredClaims = [...(options.requiredClaims ?? [])];
  if (replayClaim && !requiredClaims.includes(replayClaim)) requiredClaims.push(replayClaim);
  validateClaims(claims, {
    now: nowMs / 1000,
    clockSkewSeconds,
    maxTokenAgeSeconds: options.maxTokenAgeSeconds,
    audience: options.audience === undefined ? undefined : typeof options.audience === 'string' ? [options.audience] : options.audience,
    requiredClaims,
  });

  if (options.replay && replayClaim) {
    const value = claims[replayClaim];
    if (!hasOwn(claims, replayClaim)) throw new ClaimMissing(`claim "${replayClaim}" is required`, replayClaim);
    if (typeof value !== 'string' || value.length === 0) throw new ClaimInvalid(`claim "${replayClaim}" must be a non-empty string`, replayClaim);
    const key = createHash('sha256').update(JSON.stringify([sender.id, replayClaim, value])).digest('base64url');
    const expiresAt = replayExpiry(claims, nowMs, clockSkewSeconds, options.maxTokenAgeSeconds, options.replay.retentionSeconds);
    if (!(await options.replay.store.markUsed(key, expiresAt))) throw new TokenReplayed(`claim "${replayClaim}" was already used`);
  }

  return { claims, protectedHeader: { jwe: jweHeader, jws: jwsHeader }, sender: { id: sender.id, kid: verification.kid } };
}

// The identifier must stay recorded for as long as the token itself could still be accepted.
function replayExpiry(claims: JwtClaims, nowMs: number, skew: number, maxAge: number | undefined, retention: number | undefined): Date {
  let untilMs: number;
  if (typeof claims.exp === 'number') untilMs = (claims.exp + skew) * 1000;
  else if (maxAge !== undefined && typeof claims.iat === 'number') untilMs = (claims.iat + maxAge + skew) * 1000;
  else untilMs = nowMs + (retention ?? DEFAULT_REPLAY_RETENTION_SECONDS) * 1000;
  return new Date(Math.min(untilMs, MAX_DATE_MS));
}
