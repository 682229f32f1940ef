import { constants, createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { SignatureError } from './errors';
import { checkValidity, parseCertificate, type CertificateInput, type ParsedCertificate } from './keys/certificate';
import { decodeSignature, tokenStringBytes } from './lib/encoding';

export interface VerifierOptions {
  /** The time certificates' validity is checked against. Default: the system clock. */
  clock?: () => Date;
  /** How many parsed certificates (PEM or DER inputs) to keep, least recently used first out. Default 1024. */
  maxCachedCertificates?: number;
}

/** Verifies members' `token`s against their certificates, caching parsed certificates. */
export interface Verifier {
  /**
   * Checks that `token` is a SHA256withRSA signature of `tokenString` by the key of `certificate`,
   * and that the certificate is valid now. Returns normally only when everything holds; it never
   * returns a "false", so an unchecked result can never let a forged message through.
   *
   * @throws CertificateError `ERR_CERTIFICATE_INVALID`, `ERR_KEY_TOO_SMALL`,
   *   `ERR_CERTIFICATE_NOT_YET_VALID`, `ERR_CERTIFICATE_EXPIRED`
   * @throws SignatureError `ERR_SIGNATURE_MALFORMED` (not strict base64 of the key's length),
   *   `ERR_SIGNATURE_INVALID` (does not verify: wrong key, or any byte of the string differs)
   * @throws TokenStringError `ERR_FIELD_INVALID` when `tokenString` is not well-formed Unicode.
   */
  verify(tokenString: string, token: string, certificate: CertificateInput): void;
}

/** The verifier's certificate cache: certificates are few (one per member) and reused per request. */
class CertificateCache {
  readonly #byText = new Map<string, ParsedCertificate>();
  readonly #byDerDigest = new Map<string, ParsedCertificate>();
  readonly #byObject = new WeakMap<X509Certificate, ParsedCertificate>();

  constructor(private readonly capacity: number) {}

  get(input: CertificateInput): ParsedCertificate {
    if (input instanceof X509Certificate) {
      let parsed = this.#byObject.get(input);
      if (!parsed) {
        parsed = parseCertificate(input);
        this.#byObject.set(input, parsed);
      }
      return parsed;
    }
    if (typeof input === 'string') return this.#lookup(this.#byText, input, input);
    if (input instanceof Uint8Array) {
      return this.#lookup(this.#byDerDigest, createHash('sha256').update(input).digest('hex'), input);
    }
    return parseCertificate(input); // throws ERR_CERTIFICATE_INVALID for anything else
  }

  #lookup(map: Map<string, ParsedCertificate>, key: string, input: CertificateInput): ParsedCertificate {
    const cached = map.get(key);
    if (cached) {
      map.delete(key); // re-insert: Map order is the recency order
      map.set(key, cached);
      return cached;
    }
    const parsed = parseCertificate(input);
    map.set(key, parsed);
    if (map.size > this.capacity) map.delete(map.keys().next().value as string);
    return parsed;
  }
}

/** A verifier with its own certificate cache and clock (inject the clock in tests). */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  const clock = options.clock ?? (() => new Date());
  const capacity = options.maxCachedCertificates ?? 1024;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('maxCachedCertificates must be a positive integer');
  const cache = new CertificateCache(capacity);
  return {
    verify(tokenString: string, token: string, certificate: CertificateInput): void {
      const bytes = tokenStringBytes(tokenString);
      const parsed = cache.get(certificate);
      checkValidity(parsed, clock());
      const signature = decodeSignature(token, parsed.modulusBytes);
      const valid = cryptoVerify('sha256', bytes, { key: parsed.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      if (!valid) {
        throw new SignatureError('ERR_SIGNATURE_INVALID', 'token does not verify with the certificate over this token string');
      }
    },
  };
}

const defaultVerifier = createVerifier();

/**
 * `verify` with a shared default verifier (system clock, shared certificate cache). Services
 * should `createVerifier({ clock })` with their clock port instead.
 */
export function verify(tokenString: string, token: string, certificate: CertificateInput): void {
  defaultVerifier.verify(tokenString, token, certificate);
}
