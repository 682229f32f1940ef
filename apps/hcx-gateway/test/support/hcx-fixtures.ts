/**
 * Test builders for hcx-gateway: gateway environment (KEK, admin token, instance id), participant
 * certificates (node:crypto keys, node-forge certificates, generated per run), participants created
 * through the registry API, API keys, and JWE payloads made with `jose` as a participant would.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { CompactEncrypt } from 'jose';
import request from 'supertest';
import { loadConfig } from '@npi/config';
import { startService } from '@npi/service-runtime';
import type { RunningService } from '@npi/service-runtime';
import { testEnvironment } from '@npi/testing';
import type { Logger } from 'pino';
import { hcxConfigSchema } from '../../src/config';
import type { HcxGatewayConfig } from '../../src/config';
import { hcxServiceDefinition } from '../../src/service';

export const ADMIN_TOKEN = `admin-${randomBytes(24).toString('base64url')}`;
// One KEK per jest run (the test database is per run too), shared by every test file: the HCX
// signing key row that the first gateway generates must open in every later gateway of the run.
const runSeed = process.env.DATABASE_URL ?? 'no-database';
export const KEK = createHash('sha256').update(`hcx-test-kek:${runSeed}`).digest('base64');
export const OLD_KEK = createHash('sha256').update(`hcx-test-old-kek:${runSeed}`).digest('base64');

/** Where the test gateways' file notifier drops delivered client secrets (one directory per run). */
export const SECRET_DROP_DIR = path.join(os.tmpdir(), `hcx-test-secrets-${createHash('sha256').update(runSeed).digest('hex').slice(0, 12)}`);

/**
 * The client_secret as the participant receives it (the file notifier's drop), waiting for the
 * delivery worker; `notEqual` waits for a newer one (after a rotation).
 */
export async function deliveredSecret(participantCode: string, notEqual?: string, timeoutMs = 15_000): Promise<string> {
  const file = path.join(SECRET_DROP_DIR, `${participantCode.replace(/[^A-Za-z0-9._@-]/g, '_')}.client_secret`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const secret = /^client_secret=(.+)$/m.exec(text)?.[1];
    if (secret && secret !== notEqual) return secret;
    if (Date.now() > deadline) throw new Error(`no client_secret delivered for ${participantCode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The platform's test settings (@npi/testing) plus the gateway's own security settings. */
export function gatewayEnvironment(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return testEnvironment('hcx-gateway', {
    HCX_INSTANCE_ID: 'hcx-test-instance',
    HCX_KEKS: `k2:${KEK},k1:${OLD_KEK}`,
    HCX_ACTIVE_KEK_ID: 'k2',
    HCX_ADMIN_TOKEN: ADMIN_TOKEN,
    HCX_DISPATCHER_ENABLED: 'false',
    HCX_SECRET_NOTIFIER: 'file',
    HCX_SECRET_DROP_DIR: SECRET_DROP_DIR,
    HCX_SECRET_DELIVERY_POLL_MS: '250',
    // Every test calls from 127.0.0.1 and the counters are shared by all gateways on the test
    // database: only the test of the limit sets it low.
    HCX_TOKEN_RATE_LIMIT_PER_IP: '1000000',
    ...extra,
  });
}

export async function startGateway(extra: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<RunningService<HcxGatewayConfig>> {
  const config = loadConfig('hcx-gateway', hcxConfigSchema, gatewayEnvironment(extra));
  return startService(hcxServiceDefinition, config, { port: 0, logger: options.logger });
}

export interface ParticipantKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificatePem: string;
}

/** RSA key from node:crypto, self-signed X.509 from node-forge (valid now, `bits` >= 2048 unless a test wants less). */
export function participantKeys(commonName: string, bits = 2048): ParticipantKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const forgePrivate = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
  const forgePublic = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublic;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forgePrivate, forge.md.sha256.create());
  return { privateKey, publicKey, certificatePem: forge.pki.certificateToPem(cert) };
}

export function uniqueCode(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@hcx`;
}

export interface TestParticipant {
  code: string;
  clientSecret: string;
  keys: ParticipantKeys;
}

let sharedKeys: ParticipantKeys | undefined;
/** Key generation is the slow part; tests that do not decrypt share one key pair. */
export function sharedParticipantKeys(): ParticipantKeys {
  sharedKeys ??= participantKeys('shared-test-participant');
  return sharedKeys;
}

export async function createParticipant(
  url: string,
  options: { role: string; status?: string; endpointUrl?: string; code?: string; keys?: ParticipantKeys },
): Promise<TestParticipant> {
  const code = options.code ?? uniqueCode(options.role);
  const keys = options.keys ?? sharedParticipantKeys();
  const response = await request(url)
    .post('/participants')
    .set('authorization', `Bearer ${ADMIN_TOKEN}`)
    .send({
      participant_code: code,
      participant_name: `Test ${options.role}`,
      roles: [options.role],
      primary_email: 'ops@example.test',
      primary_mobile: '+9779800000000',
      endpoint_url: options.endpointUrl ?? 'http://127.0.0.1:9/hcx',
      encryption_cert: keys.certificatePem,
      signing_cert: keys.certificatePem,
      status: options.status ?? 'Active',
    });
  if (response.status !== 201) throw new Error(`participant creation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { code, clientSecret: await deliveredSecret(code), keys };
}

export async function apiKeyOf(url: string, participant: TestParticipant): Promise<string> {
  const response = await request(url).post('/token/generate').send({ client_id: participant.code, client_secret: participant.clientSecret });
  if (response.status !== 200) throw new Error(`token failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.access_token as string;
}

export function hcxHeaders(sender: string, recipient: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'x-hcx-sender_code': sender,
    'x-hcx-recipient_code': recipient,
    'x-hcx-api_call_id': randomUUID(),
    'x-hcx-correlation_id': randomUUID(),
    'x-hcx-workflow_id': randomUUID(),
    'x-hcx-timestamp': Date.now(),
    ...extra,
  };
}

/** A JWE as a participant makes it: RSA-OAEP-256 + A256GCM for the recipient's encryption certificate. */
export async function jwePayload(recipientKey: KeyObject, headers: Record<string, unknown>, body: unknown = { resourceType: 'Bundle', id: randomUUID() }, alg = 'RSA-OAEP-256', enc = 'A256GCM'): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg, enc, ...headers })
    .encrypt(recipientKey);
}
