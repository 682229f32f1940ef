import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/** argon2id cost; OWASP's password storage cheat sheet: m = 19 MiB, t = 2, p = 1. */
export interface Argon2Params {
  memoryCostKib: number;
  timeCost: number;
}

export const OWASP_ARGON2ID: Argon2Params = { memoryCostKib: 19_456, timeCost: 2 };

const SCRYPT_KEY_LENGTH = 32;
const SCRYPT_PATTERN = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;
const ARGON2ID_PATTERN = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

function scryptAsync(secret: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    // libuv thread pool, off the event loop. maxmem: scrypt needs 128*N*r bytes.
    scrypt(secret, salt, SCRYPT_KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Passwords and client secrets: argon2id (PHC string `$argon2id$v=19$m=..,t=..,p=1$salt$hash`)
 * through `@node-rs/argon2`, whose async calls run on the libuv thread pool, off the event loop.
 * Hashes of the former scheme (`$scrypt$ln=..,r=..,p=..$salt$hash`) still verify, and `needsRehash`
 * tells the caller to store a new argon2id hash after a successful verification. Secrets are
 * NFKC-normalised first, so the same password typed on different keyboards matches.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;
  private readonly params: Argon2Params;

  /** A number is the former scrypt cost some callers still pass; argon2id at OWASP's parameters then. */
  constructor(params: Argon2Params | number = OWASP_ARGON2ID) {
    this.params = typeof params === 'number' ? OWASP_ARGON2ID : params;
  }

  async hash(secret: string): Promise<string> {
    return argon2Hash(normalise(secret), { algorithm: Algorithm.Argon2id, memoryCost: this.params.memoryCostKib, timeCost: this.params.timeCost, parallelism: 1 });
  }

  async verify(secret: string, encoded: string): Promise<boolean> {
    if (ARGON2ID_PATTERN.test(encoded)) {
      try {
        return await argon2Verify(encoded, normalise(secret));
      } catch {
        return false;
      }
    }
    const match = SCRYPT_PATTERN.exec(encoded);
    if (!match) return false;
    const expected = Buffer.from(match[5], 'base64url');
    const key = await scryptAsync(normalise(secret), Buffer.from(match[4], 'base64url'), Number(match[1]), Number(match[2]), Number(match[3]));
    return expected.length === key.length && timingSafeEqual(expected, key);
  }

  /** True for a stored hash of another scheme or weaker than the current parameters: store a new one. */
  needsRehash(encoded: string): boolean {
    const match = ARGON2ID_PATTERN.exec(encoded);
    if (!match) return true;
    return Number(match[1]) < this.params.memoryCostKib || Number(match[2]) < this.params.timeCost;
  }

  /**
   * Spends the same work as a real verification for an unknown user or client, so response time
   * does not tell which usernames exist. Always false.
   */
  async verifyAgainstDummy(secret: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(32).toString('base64url'));
    await this.verify(secret, await this.dummy);
    return false;
  }
}

/** NFKC, and lone UTF-16 surrogates (not encodable as UTF-8) replaced, so hashing never throws on them. */
function normalise(secret: string): string {
  return secret.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD').normalize('NFKC');
}
