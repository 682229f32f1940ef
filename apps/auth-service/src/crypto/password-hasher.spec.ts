import { PasswordHasher } from './password-hasher';

describe('PasswordHasher (scrypt)', () => {
  const hasher = new PasswordHasher(15);

  it('verifies the right secret and refuses a wrong one; salts differ', async () => {
    const encoded = await hasher.hash('correct horse battery staple');
    expect(encoded).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(hasher.verify('correct horse battery staple', encoded)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapl', encoded)).resolves.toBe(false);
    expect(await hasher.hash('correct horse battery staple')).not.toBe(encoded);
  });

  it('refuses malformed stored hashes and always fails against the dummy', async () => {
    await expect(hasher.verify('x', 'plain-text')).resolves.toBe(false);
    await expect(hasher.verifyAgainstDummy('anything')).resolves.toBe(false);
  });

  it('uses OWASP parameters by default (N = 2^17)', async () => {
    expect(await new PasswordHasher().hash('x')).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
  });
});
