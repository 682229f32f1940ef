/**
 * Standalone-mode hooks (tools/standalone): secrets generated once under
 * `<dataDir>/secrets/auth-service/` (0600) and the demo NPI member for seed 001.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RunningService } from '@npi/service-runtime';
import { AuthAdminService } from './admin/auth-admin.service';

const DEMO_CLIENT_ID = 'demo-bank';
const DEMO_USERNAME = 'demo.user';
const DEMO_CIDRS = ['127.0.0.1/32', '::1/128'];

function writeOnce(file: string, make: () => string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  return fs.readFileSync(file, 'utf8');
}

/** AUTH_* settings for standalone mode; the ES256 signing key and the bootstrap admin are made on first start. */
export function standaloneEnvironment(dataDir: string): Record<string, string> {
  const dir = path.join(dataDir, 'secrets', 'auth-service');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, 'access-token-signing-key.pem');
  writeOnce(keyFile, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const admin = JSON.parse(
    writeOnce(path.join(dir, 'bootstrap-admin.json'), () =>
      JSON.stringify({ clientId: 'npi-admin', clientSecret: randomBytes(32).toString('base64url'), username: 'admin', password: randomBytes(18).toString('base64url') }, null, 2),
    ),
  ) as { clientId: string; clientSecret: string; username: string; password: string };
  return {
    AUTH_SIGNING_KEY_FILE: keyFile,
    AUTH_ADMIN_CLIENT_ID: admin.clientId,
    AUTH_ADMIN_CLIENT_SECRET: admin.clientSecret,
    AUTH_ADMIN_USERNAME: admin.username,
    AUTH_ADMIN_PASSWORD: admin.password,
    AUTH_ADMIN_CIDRS: DEMO_CIDRS.join(','),
  };
}

interface DemoCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

/**
 * The in-process broker keeps no events across restarts, so on a later start the resource services'
 * allowlist caches (fed by auth.client.updated.v1) would know no client and refuse every call with
 * E001. Saving each client's allowlist unchanged publishes its current state again.
 */
async function announceClients(admin: AuthAdminService, facts: { sourceIp: string }): Promise<void> {
  for (const client of await admin.listClients()) {
    await admin.updateClient(client.clientId, { allowedCidrs: client.allowedCidrs }, facts, 'standalone');
  }
}

/**
 * The demo NPI member's OAuth client and user, created through AuthAdminService. The secrets are shown
 * once, so they are kept in `<demoDir>/auth-service.json` (0600) and read back on later starts; if
 * that file is lost, the secret is rotated and the password reset so the printed values work.
 */
/** The demo user's password is always generated (none is passed in), so the answer carries it. */
function generated(password: string | undefined): string {
  if (!password) throw new Error('expected a generated password');
  return password;
}

export async function seedDemo(service: RunningService, context: { demoDir: string; shared: Record<string, unknown> }): Promise<Record<string, unknown>> {
  const admin = service.app.get(AuthAdminService);
  const facts = { sourceIp: '127.0.0.1' };
  const file = path.join(context.demoDir, 'auth-service.json');
  let demo: DemoCredentials | undefined = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoCredentials) : undefined;
  const exists = await admin.getClient(DEMO_CLIENT_ID).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const client = await admin.createClient({ clientId: DEMO_CLIENT_ID, allowedCidrs: DEMO_CIDRS, memberCode: 'DEMO', refreshTokenPolicy: 'reusable' }, facts, 'standalone');
    const user = await admin.createUser(DEMO_CLIENT_ID, { username: DEMO_USERNAME }, facts, 'standalone');
    demo = { clientId: client.clientId, clientSecret: client.clientSecret, username: user.username, password: generated(user.password) };
  } else if (!demo) {
    const rotated = await admin.rotateSecret(DEMO_CLIENT_ID, facts, 'standalone');
    const users = await admin.listUsers(DEMO_CLIENT_ID);
    const user = users.some((u) => u.username === DEMO_USERNAME)
      ? await admin.resetPassword(DEMO_CLIENT_ID, DEMO_USERNAME, {}, facts, 'standalone')
      : await admin.createUser(DEMO_CLIENT_ID, { username: DEMO_USERNAME }, facts, 'standalone');
    demo = { clientId: DEMO_CLIENT_ID, clientSecret: rotated.clientSecret, username: user.username, password: generated(user.password) };
  }
  if (exists && (service.deps.config as { BROKER?: string }).BROKER === 'inprocess') await announceClients(admin, facts);
  fs.writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  const base = service.url;
  const basic = `${demo.clientId}:${demo.clientSecret}`;
  return {
    clientId: demo.clientId,
    clientSecret: demo.clientSecret,
    username: demo.username,
    password: demo.password,
    memberCode: 'DEMO',
    allowedCidrs: DEMO_CIDRS,
    tokenEndpoint: `${base}/oauth/token`,
    jwksUri: `${base}/.well-known/jwks.json`,
    metadata: `${base}/.well-known/oauth-authorization-server`,
    curl: [
      `curl -s -u '${basic}' -d grant_type=password -d username=${demo.username} --data-urlencode 'password=${demo.password}' ${base}/oauth/token`,
      `curl -s -u '${basic}' -d grant_type=refresh_token -d refresh_token=<refresh_token> ${base}/oauth/token`,
      `curl -s -u '${basic}' -d token=<refresh_token> -d token_type_hint=refresh_token ${base}/oauth/revoke`,
      `curl -s ${base}/.well-known/jwks.json`,
    ],
  };
}
