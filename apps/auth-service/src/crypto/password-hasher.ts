import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scryptAsync(secret: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    // Runs on the libuv thread pool, off the event loop. maxmem: scrypt needs 128*N*r bytes.
    scrypt(secret.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Passwords and client secrets: scrypt at OWASP's parameters (N = 2^17, r = 8, p = 1) in a
 * self-describing string `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, so the cost can be raised later
 * and old hashes still verify. Comparison is constant time.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(private readonly logN = 17) {}

  async hash(secret: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await scryptAsync(secret, salt, this.logN, 8, 1);
    return `$scrypt$ln=${this.logN},r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(secret: string, encoded: string): Promise<boolean> {
    const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(encoded);
    if (!match) return false;
    const expected = Buffer.from(match[5], 'base64url');
    const key = await scryptAsync(secret, Buffer.from(match[4], 'base64url'), Number(match[1]), Number(match[2]), Number(match[3]));
    return expected.length === key.length && timingSafeEqual(expected, key);
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
