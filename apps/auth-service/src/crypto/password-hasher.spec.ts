import { randomBytes, scryptSync } from 'node:crypto';
import { verify as argon2Verify } from '@node-rs/argon2';
import { OWASP_ARGON2ID, PasswordHasher } from './password-hasher';

/** A hash as the former scheme stored it: `$scrypt$ln=..,r=8,p=1$salt$hash` over the NFKC form. */
function legacyScryptHash(secret: string, logN = 14): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret.normalize('NFKC'), salt, 32, { N: 2 ** logN, r: 8, p: 1, maxmem: 256 * 2 ** logN * 8 });
  return `$scrypt$ln=${logN},r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

describe('PasswordHasher (argon2id, scrypt hashes still verify)', () => {
  const hasher = new PasswordHasher();

  it("hashes with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1), verifiable by the reference binding", async () => {
    const encoded = await hasher.hash('correct horse battery staple');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    await expect(argon2Verify(encoded, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery staple', encoded)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapl', encoded)).resolves.toBe(false);
    expect(await hasher.hash('correct horse battery staple')).not.toBe(encoded);
    expect(OWASP_ARGON2ID).toEqual({ memoryCostKib: 19_456, timeCost: 2 });
  });

  it('verifies a former scrypt hash and asks for a rehash; an argon2id hash at the current cost needs none', async () => {
    const legacy = legacyScryptHash('old password');
    await expect(hasher.verify('old password', legacy)).resolves.toBe(true);
    await expect(hasher.verify('wrong password', legacy)).resolves.toBe(false);
    expect(hasher.needsRehash(legacy)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('old password'))).toBe(false);
    const stronger = new PasswordHasher({ memoryCostKib: 19_456, timeCost: 3 });
    expect(stronger.needsRehash(await hasher.hash('x'))).toBe(true);
  });

  it('refuses malformed stored hashes and always fails against the dummy', async () => {
    await expect(hasher.verify('x', 'plain-text')).resolves.toBe(false);
    await expect(hasher.verify('x', '$argon2id$v=19$m=19456,t=2,p=1$AAAA$AAAA')).resolves.toBe(false);
    await expect(hasher.verifyAgainstDummy('anything')).resolves.toBe(false);
  });

  it('treats unusual unicode as data: NFKC forms match, lone surrogates and NUL hash without throwing', async () => {
    const encoded = await hasher.hash('ｐａｓｓ\u00e9');
    await expect(hasher.verify('pass\u0065\u0301', encoded)).resolves.toBe(true);
    for (const odd of ['\ud800', 'a\udfffb', '\u0000\u0000', '\ufffe']) {
      const oddHash = await hasher.hash(odd);
      await expect(hasher.verify(odd, oddHash)).resolves.toBe(true);
    }
  });
});
