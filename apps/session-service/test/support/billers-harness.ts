/**
 * Test harness for session-service: Billers keys and a host app (participant) generated per run,
 * the service started on a known free port (its public URL is its own origin), and the host app's
 * side built with `jose` only, as a bank's integration team would.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CompactEncrypt, SignJWT, compactDecrypt, jwtVerify } from 'jose';
import request from 'supertest';
import { loadConfig } from '@npi/config';
import { startService } from '@npi/service-runtime';
import type { Clock, RunningService } from '@npi/service-runtime';
import { freePort, testEnvironment } from '@npi/testing';
import { sessionConfigSchema } from '../../src/config';
import { DEMO_BILLERS } from '../../src/registry/demo-billers';
import { sessionServiceDefinition } from '../../src/service';

export interface RsaPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
  privatePem: string;
}

export function rsaPair(bits = 2048): RsaPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export interface BillersKeysForTest {
  signing: RsaPair;
  signingKid: string;
  encryption: RsaPair;
  encryptionKid: string;
  adminToken: string;
}

export function billersKeys(): BillersKeysForTest {
  return {
    signing: rsaPair(),
    signingKid: `billers-sig-${randomUUID().slice(0, 8)}`,
    encryption: rsaPair(),
    encryptionKid: `billers-enc-${randomUUID().slice(0, 8)}`,
    adminToken: `admin-${randomUUID()}-${randomUUID()}`,
  };
}

export async function startSessionService(keys: BillersKeysForTest, options: { clock?: Clock; lifetimeSeconds?: number; extraEnv?: Record<string, string> } = {}): Promise<RunningService> {
  const port = await freePort();
  const env = testEnvironment('session-service', {
    SESSION_PUBLIC_URL: `http://127.0.0.1:${port}`,
    BILLERS_SIGNING_KEY: keys.signing.privatePem,
    BILLERS_SIGNING_KID: keys.signingKid,
    BILLERS_ENCRYPTION_KEY: keys.encryption.privatePem,
    BILLERS_ENCRYPTION_KID: keys.encryptionKid,
    SESSION_ADMIN_TOKEN: keys.adminToken,
    SESSION_COOKIE_SECRET: `cookie-${randomUUID()}-${randomUUID()}`,
    SESSION_LIFETIME_SECONDS: String(options.lifetimeSeconds ?? 3600),
    // Every test file's service counts 127.0.0.1 in the same database (and ManualClock windows
    // coincide): only the rate-limit test asks for real limits.
    SESSION_LAUNCH_LIMIT_PER_SOURCE: '1000000',
    SESSION_LAUNCH_LIMIT_PER_PARTICIPANT: '1000000',
    ...options.extraEnv,
  });
  const config = loadConfig('session-service', sessionConfigSchema, env);
  return (await startService(sessionServiceDefinition, config, { port, clock: options.clock })) as unknown as RunningService;
}

/** A participant (host app) with its own key pairs. */
export interface HostApp {
  code: string;
  signing: RsaPair;
  signingKid: string;
  encryption: RsaPair;
  encryptionKid: string;
  origins: string[];
}

export function hostApp(origins: string[] = ['https://bank.example.com'], code = `bank${randomUUID().slice(0, 8)}`): HostApp {
  return { code, signing: rsaPair(), signingKid: `${code}-sig-1`, encryption: rsaPair(), encryptionKid: `${code}-enc-1`, origins };
}

/** Two billers of the demo catalogue under codes of this host app's own (tests share one database). */
export const HOST_BILLERS = (suffix: string) => [
  { code: `NTC-${suffix}`, body: DEMO_BILLERS['NTC-PREPAID'] },
  { code: `WLINK-${suffix}`, body: DEMO_BILLERS.WORLDLINK },
];

export async function registerHostApp(service: RunningService, keys: BillersKeysForTest, host: HostApp, extra: Record<string, unknown> = {}): Promise<string[]> {
  const suffix = host.code.toUpperCase();
  const billers = HOST_BILLERS(suffix);
  for (const biller of billers) {
    await request(service.url).put(`/admin/billers/${encodeURIComponent(biller.code)}`).set('authorization', `Bearer ${keys.adminToken}`).send(biller.body).expect(200);
  }
  await request(service.url)
    .put(`/admin/participants/${host.code}`)
    .set('authorization', `Bearer ${keys.adminToken}`)
    .send({
      name: `Bank ${host.code}`,
      hostOrigins: host.origins,
      channels: ['web', 'mob'],
      enabledBillers: billers.map((b) => b.code),
      keys: [
        { kid: host.signingKid, use: 'sig', publicKey: host.signing.publicPem },
        { kid: host.encryptionKid, use: 'enc', publicKey: host.encryption.publicPem },
      ],
      ...extra,
    })
    .expect(200);
  return billers.map((b) => b.code);
}

/** The host app's launch token: PS256 JWS inside an RSA-OAEP-256/A256GCM JWE (integration section 4.4), with jose. */
export async function launchToken(
  claims: Record<string, unknown>,
  host: HostApp,
  keys: BillersKeysForTest,
  options: { alg?: string; signingKey?: KeyObject; signingKid?: string; recipientKey?: KeyObject; recipientKid?: string } = {},
): Promise<string> {
  const jws = await new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'PS256', kid: options.signingKid ?? host.signingKid, typ: 'JWT' })
    .sign(options.signingKey ?? host.signing.privateKey);
  return new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: options.recipientKid ?? keys.encryptionKid })
    .encrypt(options.recipientKey ?? keys.encryption.publicKey);
}

export function newSessionId(host: HostApp): string {
  return `${host.code}_${randomUUID()}`;
}

export async function launchQuery(host: HostApp, keys: BillersKeysForTest, overrides: Record<string, string | undefined> = {}, claims?: Record<string, unknown>) {
  const sessionId = overrides.session_id ?? newSessionId(host);
  const channel = overrides.channel ?? 'web';
  const token = await launchToken(claims ?? { participant_code: host.code, session_id: sessionId, channel }, host, keys);
  const query: Record<string, string> = { landing_page: 'biller-all', participant_code: host.code, channel, session_id: sessionId, token };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete query[key];
    else query[key] = value;
  }
  return query;
}

export function launchPath(query: Record<string, string>): string {
  return `/billers?${new URLSearchParams(query).toString()}`;
}

/** The host app's backend opening the npiObject: decrypt with its key, verify NPI Billers' PS256 signature. */
export async function openNpiObject(jwe: string, host: HostApp, keys: BillersKeysForTest) {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, host.encryption.privateKey, { keyManagementAlgorithms: ['RSA-OAEP-256'], contentEncryptionAlgorithms: ['A256GCM'] });
  const { payload, protectedHeader: jwsHeader } = await jwtVerify(new TextDecoder().decode(plaintext), keys.signing.publicKey, { algorithms: ['PS256'] });
  return { payload, jweHeader: protectedHeader, jwsHeader };
}
