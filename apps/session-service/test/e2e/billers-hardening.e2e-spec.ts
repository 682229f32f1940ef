/**
 * Billers hardening through HTTP against the real PostgreSQL: GET /billers is rate limited per
 * source address and per participant, and the limits hold across two replicas (counters in
 * PostgreSQL); NPI Billers' public keys are published as a JWKS with rotation overlap, and a
 * participant that encrypts its launch token for the published key is served.
 */
import { createPublicKey, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importJWK } from 'jose';
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import { billersKeys, hostApp, launchPath, launchQuery, launchToken, newSessionId, registerHostApp, rsaPair, startSessionService } from '../support/billers-harness';
import type { BillersKeysForTest, HostApp } from '../support/billers-harness';

jest.setTimeout(120_000);

const PER_SOURCE = 4;
const PER_PARTICIPANT = 6;
/** A fresh documentation address per call, so keys never collide with other runs or tests. */
const address = () => `198.51.100.${randomInt(1, 255)}`;
const ipv6 = () => `2001:db8::${randomInt(1, 0xffff).toString(16)}:${randomInt(1, 0xffff).toString(16)}`;

describe('Billers hardening (session-service)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'billers-hardening-'));
  let keys: BillersKeysForTest;
  let previous: { signing: ReturnType<typeof rsaPair>; encryption: ReturnType<typeof rsaPair> };
  let replicas: RunningService[];
  let host: HostApp;
  let rotating: HostApp;

  beforeAll(async () => {
    keys = billersKeys();
    previous = { signing: rsaPair(), encryption: rsaPair() };
    fs.writeFileSync(path.join(dir, 'previous-signing.pem'), previous.signing.publicPem);
    fs.writeFileSync(path.join(dir, 'previous-encryption.pem'), previous.encryption.privatePem, { mode: 0o600 });
    const extraEnv = {
      SESSION_LAUNCH_LIMIT_PER_SOURCE: String(PER_SOURCE),
      SESSION_LAUNCH_LIMIT_PER_PARTICIPANT: String(PER_PARTICIPANT),
      // The test stands in for a load balancer on loopback, so it can choose each request's source.
      TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
      BILLERS_SIGNING_PUBLIC_KEY_PREVIOUS_FILE: path.join(dir, 'previous-signing.pem'),
      BILLERS_SIGNING_KID_PREVIOUS: 'billers-sig-previous',
      BILLERS_ENCRYPTION_KEY_PREVIOUS_FILE: path.join(dir, 'previous-encryption.pem'),
      BILLERS_ENCRYPTION_KID_PREVIOUS: 'billers-enc-previous',
    };
    replicas = [await startSessionService(keys, { extraEnv }), await startSessionService(keys, { extraEnv })];
    host = hostApp(['https://bank.example.com']);
    await registerHostApp(replicas[0], keys, host);
    rotating = hostApp(['https://wallet.example.com']);
    await registerHostApp(replicas[0], keys, rotating);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(replicas?.map((replica) => replica.stop()) ?? []);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const launch = (replica: number, query: Record<string, string>, from: string) =>
    request(replicas[replica].url).get(launchPath(query)).set('accept', 'application/json').set('x-forwarded-for', from);
  const garbage = (participantCode: string) => ({ landing_page: 'biller-all', participant_code: participantCode, channel: 'web', session_id: `${participantCode}_00000000-0000-4000-8000-000000000000`, token: 'x.y.z' });

  it('limits launches per source address across replicas, with ERR_RATE_LIMITED and Retry-After', async () => {
    const source = address();
    const codes: string[] = [];
    for (let index = 0; index < PER_SOURCE; index += 1) codes.push((await launch(index % 2, garbage(`p${index}x${randomInt(1e6)}`), source)).body.error.code);
    expect(codes).not.toContain('ERR_RATE_LIMITED');
    const refused = await launch(1, garbage(`p9x${randomInt(1e6)}`), source);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: { code: 'ERR_RATE_LIMITED', message: 'Too many requests. Please try again later.' }, correlationId: expect.any(String) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A browser gets the same refusal as the Billers error page; another source is not affected.
    const page = await request(replicas[0].url).get(launchPath(garbage('pq1'))).set('x-forwarded-for', source);
    expect([page.status, page.text.includes('data-error-code="ERR_RATE_LIMITED"')]).toEqual([429, true]);
    expect((await launch(0, garbage(`p8x${randomInt(1e6)}`), ipv6())).status).not.toBe(429);
  });

  it('limits launches per participant, whatever the source, and a valid launch within the limit is served', async () => {
    const query = await launchQuery(host, keys);
    const served = await request(replicas[1].url).get(launchPath(query)).set('x-forwarded-for', address());
    expect(served.status).toBe(200);
    for (let index = 1; index < PER_PARTICIPANT; index += 1) {
      expect((await launch(index % 2, { ...query, session_id: newSessionId(host) }, ipv6())).status).not.toBe(429);
    }
    const refused = await launch(0, await launchQuery(host, keys), ipv6());
    expect([refused.status, refused.body.error.code]).toEqual([429, 'ERR_RATE_LIMITED']);
  });

  it('lets exactly the limit through when one source floods both replicas at once', async () => {
    const source = ipv6();
    const answers = await Promise.all(Array.from({ length: 16 }, (_, index) => launch(index % 2, garbage(`fl${index}x${randomInt(1e6)}`), source)));
    expect(answers.filter((answer) => answer.status !== 429)).toHaveLength(PER_SOURCE);
    expect(answers.every((answer) => answer.status < 500)).toBe(true);
  });

  it('publishes the Billers signing and encryption public keys, previous ones kept during the rotation', async () => {
    const response = await request(replicas[0].url).get('/.well-known/jwks.json').expect(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const jwks = response.body as { keys: Record<string, string>[] };
    expect(jwks.keys.map(({ kid, use, alg }) => ({ kid, use, alg }))).toEqual([
      { kid: keys.signingKid, use: 'sig', alg: 'PS256' },
      { kid: 'billers-sig-previous', use: 'sig', alg: 'PS256' },
      { kid: keys.encryptionKid, use: 'enc', alg: 'RSA-OAEP-256' },
      { kid: 'billers-enc-previous', use: 'enc', alg: 'RSA-OAEP-256' },
    ]);
    for (const jwk of jwks.keys) expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const published = (kid: string) => createPublicKey({ key: jwks.keys.find((key) => key.kid === kid)!, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    expect(published(keys.signingKid)).toBe(keys.signing.publicPem);
    expect(published('billers-sig-previous')).toBe(previous.signing.publicPem);
    expect(published(keys.encryptionKid)).toBe(keys.encryption.publicPem);
    expect(published('billers-enc-previous')).toBe(previous.encryption.publicPem);

    // A participant mid-rotation still encrypts for the previous key it fetched: served.
    const sessionId = newSessionId(rotating);
    const recipientKey = await importJWK(jwks.keys.find((key) => key.kid === 'billers-enc-previous')!, 'RSA-OAEP-256');
    const token = await launchToken({ participant_code: rotating.code, session_id: sessionId, channel: 'web' }, rotating, keys, { recipientKey: recipientKey as never, recipientKid: 'billers-enc-previous' });
    const served = await request(replicas[1].url).get(launchPath({ landing_page: 'biller-all', participant_code: rotating.code, channel: 'web', session_id: sessionId, token })).set('x-forwarded-for', ipv6());
    expect(served.status).toBe(200);
  });
});
