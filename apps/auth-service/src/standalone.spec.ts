import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authConfigSchema } from './config';
import { loadSigningKey } from './crypto/signing-keys';
import { standaloneEnvironment } from './standalone';

describe('standaloneEnvironment', () => {
  it('generates an ES256 PKCS#8 key and the bootstrap admin once (0600), and returns the same on later starts', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-standalone-'));
    const first = standaloneEnvironment(dataDir);
    const second = standaloneEnvironment(dataDir);
    expect(second).toEqual(first);
    const pem = fs.readFileSync(first.AUTH_SIGNING_KEY_FILE, 'utf8');
    expect(pem).toContain('BEGIN PRIVATE KEY');
    expect(createPrivateKey(pem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(loadSigningKey(pem).alg).toBe('ES256');
    expect(fs.statSync(first.AUTH_SIGNING_KEY_FILE).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, 'secrets', 'auth-service', 'bootstrap-admin.json')).mode & 0o777).toBe(0o600);
    // What it returns (plus the launcher's base settings) satisfies the config schema.
    const parsed = authConfigSchema.safeParse({ ...first, DATABASE_URL: 'postgresql://x/y', BROKER: 'inprocess', AUTH_ISSUER: 'http://127.0.0.1:3001' });
    expect(parsed.success).toBe(true);
  });
});
