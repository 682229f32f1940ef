/**
 * Standalone-mode hooks (tools/standalone): NPI Billers' keys and secrets generated once into
 * `<dataDir>/secrets/session-service/` (0600), and a demo participant with its own keys.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RunningService } from '@npi/service-runtime';
import { BillersRegistryService } from './registry/billers-registry.service';
import { DEMO_BILLERS } from './registry/demo-billers';
import { billerInput, participantInput } from './registry/registry.contracts';

/** The demo host app's origin: serve it with `apps/session-service/scripts/demo-host-app.ts`. */
export const DEMO_HOST_ORIGIN = 'http://127.0.0.1:8080';
export const DEMO_PARTICIPANT = 'demobank';

function writeOnce(file: string, make: () => string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function rsaPrivatePem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function publicPemOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

/** A stable key id: the first 12 characters of the SHA-256 of the public key. */
function kidOf(prefix: string, privatePem: string): string {
  return `${prefix}-${createHash('sha256').update(publicPemOf(privatePem)).digest('hex').slice(0, 12)}`;
}

export function standaloneEnvironment(dataDir: string): Record<string, string> {
  const dir = path.join(dataDir, 'secrets', 'session-service');
  const signingFile = path.join(dir, 'billers-signing-key.pem');
  const encryptionFile = path.join(dir, 'billers-encryption-key.pem');
  const signing = writeOnce(signingFile, rsaPrivatePem);
  const encryption = writeOnce(encryptionFile, rsaPrivatePem);
  return {
    BILLERS_SIGNING_KEY_FILE: signingFile,
    BILLERS_SIGNING_KID: kidOf('billers-sig', signing),
    BILLERS_ENCRYPTION_KEY_FILE: encryptionFile,
    BILLERS_ENCRYPTION_KID: kidOf('billers-enc', encryption),
    SESSION_ADMIN_TOKEN: writeOnce(path.join(dir, 'admin-token'), () => randomBytes(32).toString('base64url')),
    SESSION_COOKIE_SECRET: writeOnce(path.join(dir, 'cookie-secret'), () => randomBytes(48).toString('base64url')),
  };
}

/**
 * A demo participant (bank/wallet host app) with its own RSA key pairs in `demoDir`, allowed to be
 * framed only by http://127.0.0.1:8080, channels web and mob, and the demo billers. Idempotent.
 */
export async function seedDemo(service: RunningService, context: { demoDir: string; shared: Record<string, unknown> }): Promise<Record<string, unknown>> {
  const registry = service.app.get(BillersRegistryService);
  for (const [code, biller] of Object.entries(DEMO_BILLERS)) await registry.putBiller(code, billerInput.parse(biller));

  const dir = path.join(context.demoDir, 'session-service');
  const files = {
    participantSigningKey: path.join(dir, `${DEMO_PARTICIPANT}-signing-key.pem`),
    participantEncryptionKey: path.join(dir, `${DEMO_PARTICIPANT}-encryption-key.pem`),
    billersEncryptionPublicKey: path.join(dir, 'npi-billers-encryption-public.pem'),
    billersSigningPublicKey: path.join(dir, 'npi-billers-signing-public.pem'),
  };
  const signing = writeOnce(files.participantSigningKey, rsaPrivatePem);
  const encryption = writeOnce(files.participantEncryptionKey, rsaPrivatePem);
  const config = service.deps.config as unknown as Record<string, string | undefined>;
  const billersEncryption = config.BILLERS_ENCRYPTION_KEY ?? fs.readFileSync(config.BILLERS_ENCRYPTION_KEY_FILE as string, 'utf8');
  const billersSigning = config.BILLERS_SIGNING_KEY ?? fs.readFileSync(config.BILLERS_SIGNING_KEY_FILE as string, 'utf8');
  fs.writeFileSync(files.billersEncryptionPublicKey, publicPemOf(billersEncryption), { mode: 0o644 });
  fs.writeFileSync(files.billersSigningPublicKey, publicPemOf(billersSigning), { mode: 0o644 });

  const signingKid = kidOf(`${DEMO_PARTICIPANT}-sig`, signing);
  const encryptionKid = kidOf(`${DEMO_PARTICIPANT}-enc`, encryption);
  await registry.putParticipant(
    DEMO_PARTICIPANT,
    participantInput.parse({
      name: 'Demo Bank (host app)',
      hostOrigins: [DEMO_HOST_ORIGIN],
      channels: ['web', 'mob'],
      enabledBillers: Object.keys(DEMO_BILLERS),
      keys: [
        { kid: signingKid, use: 'sig', publicKey: publicPemOf(signing) },
        { kid: encryptionKid, use: 'enc', publicKey: publicPemOf(encryption) },
      ],
    }),
  );
  const baseUrl = config.SESSION_PUBLIC_URL as string;
  const script = 'apps/session-service/scripts/demo-host-app.ts';
  return {
    participantCode: DEMO_PARTICIPANT,
    allowedHostOrigin: DEMO_HOST_ORIGIN,
    channels: ['web', 'mob'],
    billers: Object.keys(DEMO_BILLERS),
    participantKeys: { signingKid, encryptionKid, signingKeyFile: files.participantSigningKey, encryptionKeyFile: files.participantEncryptionKey },
    billersKeys: {
      encryptionKid: config.BILLERS_ENCRYPTION_KID,
      encryptionPublicKeyFile: files.billersEncryptionPublicKey,
      signingKid: config.BILLERS_SIGNING_KID,
      signingPublicKeyFile: files.billersSigningPublicKey,
    },
    launchUrl: `${baseUrl}/billers?landing_page=biller-all&participant_code=${DEMO_PARTICIPANT}&channel=web&session_id=${DEMO_PARTICIPANT}_<uuid>&token=<nested JWT: PS256 JWS with the participant signing key, inside RSA-OAEP-256/A256GCM JWE for the Billers encryption key>`,
    examples: [
      `node -r ./tools/ts-register.js ${script} --demo-dir ${context.demoDir} --billers ${baseUrl}   # host app on ${DEMO_HOST_ORIGIN}: open it in a browser`,
      `node -r ./tools/ts-register.js ${script} --demo-dir ${context.demoDir} --billers ${baseUrl} --print-url   # just print a fresh launch URL`,
    ],
  };
}
