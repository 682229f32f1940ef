/**
 * The standalone demo seed (idempotent, working credentials) and signing-key rotation with an
 * overlap: tokens signed by the previous key still verify through the JWKS of the new instance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader } from 'jose';
import { verifyAccessToken } from '@npi/auth-guards';
import type { RunningService } from '@npi/service-runtime';
import { seedDemo } from '../../src/standalone';
import { generateSigningKeyFile, postForm, startAuthService } from '../support/auth-test-service';
import type { StartedAuth } from '../support/auth-test-service';

jest.setTimeout(60_000);

describe('auth-service standalone seed and key rotation', () => {
  const started: StartedAuth[] = [];
  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
  }, 30_000);

  it('seedDemo creates a demo member whose credentials work, and is idempotent', async () => {
    const auth = await startAuthService();
    started.push(auth);
    const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-demo-'));
    const first = await seedDemo(auth.service as unknown as RunningService, { demoDir, shared: {} });
    const second = await seedDemo(auth.service as unknown as RunningService, { demoDir, shared: {} });
    expect(second).toEqual(first);
    expect(first).toMatchObject({ clientId: 'demo-bank', username: 'demo.user', allowedCidrs: ['127.0.0.1/32', '::1/128'] });
    expect((first.curl as string[])[0]).toContain('grant_type=password');
    const issued = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: first.username as string, password: first.password as string }, { basic: { id: first.clientId as string, secret: first.clientSecret as string } });
    expect(issued.status).toBe(200);
    // Credentials file lost: the seed rotates and resets so what it prints still works.
    fs.rmSync(path.join(demoDir, 'auth-service.json'));
    const third = await seedDemo(auth.service as unknown as RunningService, { demoDir, shared: {} });
    expect(third.clientSecret).not.toBe(first.clientSecret);
    const again = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: third.username as string, password: third.password as string }, { basic: { id: third.clientId as string, secret: third.clientSecret as string } });
    expect(again.status).toBe(200);
  });

  it('rotates the signing key with an overlap: old tokens verify through the new JWKS, new tokens use the new kid', async () => {
    const oldKey = generateSigningKeyFile();
    const before = await startAuthService({ keyFile: oldKey });
    started.push(before);
    const bank = await before.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
    const user = await before.createUser(bank.clientId);
    const login = (service: StartedAuth) =>
      postForm(`${service.url}/oauth/token`, { grant_type: 'password', username: user.username, password: user.password }, { basic: { id: bank.clientId, secret: bank.clientSecret } });
    const oldToken = (await login(before)).body.access_token as string;

    const after = await startAuthService({ keyFile: generateSigningKeyFile(), admin: before.admin, env: { AUTH_PREVIOUS_SIGNING_KEY_FILES: oldKey } });
    started.push(after);
    const jwksDoc = (await (await fetch(`${after.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwksDoc.keys).toHaveLength(2);
    const newToken = (await login(after)).body.access_token as string;
    expect(decodeProtectedHeader(newToken).kid).toBe(jwksDoc.keys[0].kid);
    expect(decodeProtectedHeader(oldToken).kid).toBe(jwksDoc.keys[1].kid);
    const jwks = createRemoteJWKSet(new URL(`${after.url}/.well-known/jwks.json`));
    for (const token of [oldToken, newToken]) {
      await expect(verifyAccessToken(token, jwks, { issuer: 'http://auth.npi.test', audience: 'npi' })).resolves.toMatchObject({ clientId: bank.clientId });
    }
  });
});
