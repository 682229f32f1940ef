import { execFile } from 'node:child_process';
import { constants, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PrivateKeyPool, closeDefaultPrivateKeyPool } from './private-key-pool';
import { rsaKeyPair } from './fixtures/test-keys';

describe('PrivateKeyPool', () => {
  afterAll(async () => {
    await closeDefaultPrivateKeyPool();
  });

  it('signs and unwraps on worker threads, caching each key per worker', async () => {
    const { privateKey, publicKey } = await rsaKeyPair('a');
    const pool = new PrivateKeyPool({ size: 2 });
    try {
      const data = Buffer.from('signing input');
      const signatures = await Promise.all(Array.from({ length: 8 }, () => pool.sign(privateKey, 'PS256', data)));
      for (const signature of signatures) {
        expect(verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)).toBe(true);
      }
      const cek = randomBytes(32);
      const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
      expect(await pool.unwrap(privateKey, 'RSA-OAEP-256', wrapped)).toEqual(cek);
      // A failed OAEP decoding is an undefined result, not an error carrying details.
      expect(await pool.unwrap(privateKey, 'RSA-OAEP-256', randomBytes(256))).toBeUndefined();
      // Input that is a view into a larger buffer is sent as exactly its bytes.
      const framed = Buffer.concat([Buffer.alloc(7), wrapped, Buffer.alloc(9)]);
      expect(await pool.unwrap(privateKey, 'RSA-OAEP-256', framed.subarray(7, 7 + wrapped.length))).toEqual(cek);
    } finally {
      await pool.close();
    }
  });

  it('fails operations in flight when closed, and starts again on next use', async () => {
    const { privateKey } = await rsaKeyPair('a');
    const pool = new PrivateKeyPool({ size: 1 });
    const inFlight = Array.from({ length: 20 }, () => pool.sign(privateKey, 'PS256', Buffer.from('x')));
    const settled = Promise.allSettled(inFlight);
    await pool.close();
    const results = await settled;
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures.length).toBeGreaterThan(0);
    expect((failures[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_PRIVATE_KEY_POOL_FAILED' });
    await expect(pool.sign(privateKey, 'PS256', Buffer.from('again'))).resolves.toHaveLength(256);
    await pool.close();
  });

  it('rejects a bad size', () => {
    expect(() => new PrivateKeyPool({ size: 0 })).toThrow(RangeError);
  });

  it('never keeps a process alive, yet completes work in flight', async () => {
    // A script that seals once on the default pool and never closes it must still print and exit.
    const script = `
      const { generateKeyPairSync } = require('node:crypto');
      const { seal } = require('@npi/jose-envelope');
      const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
      seal({ a: 1 }, { signingKey: k.privateKey, kid: 's' }, { recipientKey: k.publicKey, kid: 'r' })
        .then((token) => process.stdout.write(String(token.split('.').length)));
    `;
    const root = join(__dirname, '../../..');
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', './tools/ts-register.js', '-e', script], { cwd: root, timeout: 60_000 });
    expect(stdout).toBe('5');
  }, 70_000);
});
