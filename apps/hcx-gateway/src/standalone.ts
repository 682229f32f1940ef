/**
 * Standalone-mode hooks (tools/standalone): secrets generated once under
 * `<dataDir>/secrets/hcx-gateway/` (mode 0600) and demo participants for a newcomer.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { RunningService } from '@npi/service-runtime';
import { PARTICIPANT_REPOSITORY } from '@npi/hcx/data-access';
import type { ParticipantRepository } from '@npi/hcx/data-access';
import { ParticipantRegistryService } from './registry/participant-registry.service';

function readOrCreate(file: string, make: () => string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const value = make();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

export function standaloneEnvironment(dataDir: string): Record<string, string> {
  const dir = path.join(dataDir, 'secrets', 'hcx-gateway');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const kek = readOrCreate(path.join(dir, 'kek'), () => `kek-1:${randomBytes(32).toString('base64')}`);
  const adminToken = readOrCreate(path.join(dir, 'admin-token'), () => randomBytes(32).toString('base64url'));
  const instanceId = readOrCreate(path.join(dir, 'instance-id'), () => `hcx-standalone-${randomBytes(4).toString('hex')}`);
  const signingKeyFile = path.join(dir, 'signing-key.pem');
  readOrCreate(signingKeyFile, () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  return {
    HCX_INSTANCE_ID: instanceId,
    HCX_KEKS: kek,
    HCX_ACTIVE_KEK_ID: kek.slice(0, kek.indexOf(':')),
    HCX_ADMIN_TOKEN: adminToken,
    HCX_SIGNING_KEY_FILE: signingKeyFile,
    HCX_SECRET_NOTIFIER: 'file',
    HCX_SECRET_DROP_DIR: path.join(dataDir, 'demo', 'hcx-gateway', 'notifications'),
  };
}

/** RSA 2048 key (node:crypto) and a self-signed certificate (node-forge) for a demo participant. */
function demoCertificate(commonName: string): { privateKeyPem: string; certificatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 365 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer([{ name: 'commonName', value: commonName }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certificatePem: forge.pki.certificateToPem(cert) };
}

const DEMO = [
  { code: 'demo-provider@hcx', name: 'Demo Hospital', role: 'provider', endpoint: 'http://127.0.0.1:4101/hcx' },
  { code: 'demo-payor@hcx', name: 'Demo Insurer', role: 'payor', endpoint: 'http://127.0.0.1:4102/hcx' },
] as const;

export async function seedDemo(service: RunningService, context: { demoDir: string; shared: Record<string, unknown> }): Promise<Record<string, unknown>> {
  const registry = service.app.get(ParticipantRegistryService);
  const repository = service.app.get<ParticipantRepository>(PARTICIPANT_REPOSITORY);
  const dir = path.join(context.demoDir, 'hcx-gateway');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const participants = [];
  for (const demo of DEMO) {
    const base = path.join(dir, demo.code.replace(/[^A-Za-z0-9.-]/g, '_'));
    const secretFile = `${base}.client_secret`;
    const keyFile = `${base}-private-key.pem`;
    const certFile = `${base}-cert.pem`;
    const existing = await repository.find(demo.code);
    let clientSecret: string;
    if (existing && !fs.existsSync(keyFile)) {
      // The demo files were removed but the database kept the participant: new keys, same participant.
      const { privateKeyPem, certificatePem } = demoCertificate(demo.code);
      fs.writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
      fs.writeFileSync(certFile, certificatePem, { mode: 0o644 });
      await registry.update(demo.code, { encryption_cert: certificatePem, signing_cert: certificatePem });
    }
    if (!existing) {
      const { privateKeyPem, certificatePem } = demoCertificate(demo.code);
      fs.writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
      fs.writeFileSync(certFile, certificatePem, { mode: 0o644 });
      const created = await registry.create({
        participant_code: demo.code,
        participant_name: demo.name,
        roles: [demo.role],
        primary_email: `${demo.role}@demo.invalid`,
        endpoint_url: demo.endpoint,
        encryption_cert: certificatePem,
        signing_cert: certificatePem,
        status: 'Active',
      });
      clientSecret = created.client_secret;
      fs.writeFileSync(secretFile, `${clientSecret}\n`, { mode: 0o600 });
    } else if (fs.existsSync(secretFile)) {
      clientSecret = fs.readFileSync(secretFile, 'utf8').trim();
    } else {
      // The secret is shown once; when its demo file is gone the only way to show one is a rotation.
      clientSecret = (await registry.rotateSecret(demo.code)).client_secret;
      fs.writeFileSync(secretFile, `${clientSecret}\n`, { mode: 0o600 });
    }
    participants.push({
      role: demo.role,
      client_id: demo.code,
      client_secret: clientSecret,
      endpoint_url: demo.endpoint,
      private_key_file: keyFile,
      certificate_file: certFile,
      token_curl: `curl -s -X POST ${service.url}/token/generate -H 'content-type: application/json' -d '${JSON.stringify({ client_id: demo.code, client_secret: clientSecret })}'`,
    });
  }
  return {
    url: service.url,
    jwks_url: `${service.url}/.well-known/jwks.json`,
    participants,
    // Printed to the console by the launcher: no secret here (they are in credentials.json, 0600).
    examples: [
      `curl -s -X POST ${service.url}/token/generate -H 'content-type: application/json' -d '{"client_id":"demo-provider@hcx","client_secret":"<client_secret from credentials.json>"}'`,
      `curl -s -X POST ${service.url}/v0.8/participant/search -H "Authorization: Bearer <access_token>" -H 'content-type: application/json' -d '{"filters":{"roles":{"eq":"payor"}}}'`,
      `curl -s ${service.url}/participants -H "Authorization: Bearer <access_token>"`,
      `curl -s -X POST ${service.url}/v0.8/coverageeligibility/check -H "Authorization: Bearer <provider access_token>" -H 'content-type: application/json' -d '{"payload":"<JWE for demo-payor@hcx>"}'`,
    ],
  };
}
