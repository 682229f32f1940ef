/**
 * Secrets never leak. `npm start` (real PostgreSQL and Kafka, debug logging) runs a realistic flow
 * across the four services: operator and member OAuth (password and refresh grants, revocation,
 * new client, new user, secret rotation, password reset), a signed NPI payment, a Billers launch
 * and its page session, HCX API keys, a new participant and a secret rotation. Then every log line,
 * every answer and every column of every table is searched for every secret, password,
 * passphrase, private key and credential-grade token the run created. Answers may carry a secret
 * only where it is delivered (shown once); logs and columns never (encrypted or hashed columns hold
 * something else).
 */
import { constants, createPrivateKey, createPublicKey, randomUUID, sign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CompactEncrypt, SignJWT } from 'jose';
import { Client } from 'pg';
import { eventually } from '@npi/testing';
import { dataFile, launchPlatform } from '../support/launched-platform';
import type { LaunchedPlatform } from '../support/launched-platform';

jest.setTimeout(300_000);

interface Answer {
  id: number;
  what: string;
  status: number;
  text: string;
}

/** Where a secret may legitimately appear in answers: the ones that delivered it. */
interface Secret {
  name: string;
  value: string;
  deliveredIn: Set<number>;
}

describe('secrets never leak (npm start, full flow across all four services)', () => {
  let platform: LaunchedPlatform;
  const answers: Answer[] = [];
  const secrets: Secret[] = [];
  const remember = (name: string, value: string | undefined, deliveredIn?: number) => {
    if (!value || value.length < 8) throw new Error(`secret ${name} missing`);
    const known = secrets.find((secret) => secret.value === value);
    if (known) return void (deliveredIn !== undefined && known.deliveredIn.add(deliveredIn));
    secrets.push({ name, value, deliveredIn: new Set(deliveredIn === undefined ? [] : [deliveredIn]) });
  };

  async function call(what: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ id: number; status: number; json: any; headers: Headers }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body, redirect: 'manual' });
    const text = await response.text();
    const id = answers.length;
    answers.push({ id, what, status: response.status, text: `${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${text}` });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { id, status: response.status, json, headers: response.headers };
  }
  const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  beforeAll(async () => {
    platform = await launchPlatform({ logLevel: 'debug' });
  }, 240_000);
  afterAll(async () => platform?.stop(), 60_000);

  /** Every secret file the run generated (secrets/ and demo/): whole values, or for keys a slice of the key material. */
  function rememberGeneratedFiles(): void {
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
    for (const file of [...walk(path.join(platform.dataDir, 'secrets')), ...walk(path.join(platform.dataDir, 'demo'))]) {
      const name = path.relative(platform.dataDir, file);
      const text = fs.readFileSync(file, 'utf8').trim();
      if (/\.(crt|pfx)$|cert\.pem$|public\.pem$|instance-id$|credentials\.json$/.test(file)) continue;
      if (text.includes('PRIVATE KEY')) {
        // The key's base64 body: any 48-character run of it identifies the key.
        const body = text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
        for (let offset = 64; offset + 48 <= body.length; offset += 400) remember(`${name}@${offset}`, body.slice(offset, offset + 48));
        continue;
      }
      if (file.endsWith('.json')) {
        for (const [key, value] of Object.entries(JSON.parse(text) as Record<string, unknown>)) if (/secret|password|passphrase|token/i.test(key) && typeof value === 'string') remember(`${name}:${key}`, value);
        continue;
      }
      const delivered = /^client_secret=(.+)$/m.exec(text);
      if (delivered) remember(name, delivered[1]);
      else if (file.endsWith('kek')) for (const part of text.split(',')) remember(name, part.slice(part.indexOf(':') + 1));
      else remember(name, text);
    }
  }

  it('runs the flow: OAuth, admin, NPI payment, Billers launch, HCX API keys and registry', async () => {
    const { urls, credentials } = platform;
    const auth = urls['auth-service'];
    // --- auth-service: operator, then a new member client and user, grants, rotation, reset, revocation.
    const admin = JSON.parse(dataFile(platform, 'secrets', 'auth-service', 'bootstrap-admin.json'));
    const adminGrant = await call('admin password grant', `${auth}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(admin.clientId, admin.clientSecret) }, body: form({ grant_type: 'password', username: admin.username, password: admin.password }) });
    expect(adminGrant.status).toBe(200);
    remember('admin access token', adminGrant.json.access_token, adminGrant.id);
    if (adminGrant.json.refresh_token) remember('admin refresh token', adminGrant.json.refresh_token, adminGrant.id);
    const adminBearer = { authorization: `Bearer ${adminGrant.json.access_token}`, 'content-type': 'application/json' };
    const clientId = `leak-${randomUUID().slice(0, 8)}`;
    const created = await call('create client', `${auth}/admin/clients`, { method: 'POST', headers: adminBearer, body: JSON.stringify({ clientId, allowedCidrs: ['127.0.0.1/32', '::1/128'], memberCode: 'LEAK' }) });
    expect(created.status).toBe(201);
    remember('new client secret', created.json.clientSecret, created.id);
    const user = await call('create user', `${auth}/admin/clients/${clientId}/users`, { method: 'POST', headers: adminBearer, body: JSON.stringify({ username: 'LEAK@999' }) });
    expect(user.status).toBe(201);
    remember('new user password', user.json.password, user.id);
    // A password the operator chose is never echoed: searched for in every answer like the others.
    const chosenAtCreation = `Chosen-${randomUUID()}`;
    const chosenUser = await call('create user with a chosen password', `${auth}/admin/clients/${clientId}/users`, { method: 'POST', headers: adminBearer, body: JSON.stringify({ username: 'LEAK@998', password: chosenAtCreation }) });
    expect(chosenUser.status).toBe(201);
    remember('password chosen at creation', chosenAtCreation);
    const chosenPassword = `Chosen-${randomUUID()}`;
    const reset = await call('reset password', `${auth}/admin/clients/${clientId}/users/LEAK@999/password`, { method: 'POST', headers: adminBearer, body: JSON.stringify({ password: chosenPassword }) });
    expect(reset.status).toBeLessThan(300);
    remember('reset password', chosenPassword);
    const rotated = await call('rotate client secret', `${auth}/admin/clients/${clientId}/secret`, { method: 'POST', headers: adminBearer });
    expect(rotated.status).toBe(200);
    remember('rotated client secret', rotated.json.clientSecret, rotated.id);
    const grant = await call('member password grant', `${auth}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, rotated.json.clientSecret) }, body: form({ grant_type: 'password', username: 'LEAK@999', password: chosenPassword }) });
    expect(grant.status).toBe(200);
    remember('member access token', grant.json.access_token, grant.id);
    remember('member refresh token', grant.json.refresh_token, grant.id);
    const refreshed = await call('refresh grant', `${auth}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, rotated.json.clientSecret) }, body: form({ grant_type: 'refresh_token', refresh_token: grant.json.refresh_token }) });
    expect(refreshed.status).toBe(200);
    remember('refreshed access token', refreshed.json.access_token, refreshed.id);
    if (refreshed.json.refresh_token) remember('rotated refresh token', refreshed.json.refresh_token, refreshed.id);
    const revoked = await call('revoke', `${auth}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, rotated.json.clientSecret) }, body: form({ token: refreshed.json.refresh_token ?? grant.json.refresh_token, token_type_hint: 'refresh_token' }) });
    expect(revoked.status).toBe(200);
    const wrong = await call('wrong password', `${auth}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, rotated.json.clientSecret) }, body: form({ grant_type: 'password', username: 'LEAK@999', password: `${chosenPassword}-wrong` }) });
    expect(wrong.status).toBe(400);
    remember('a wrong password attempt', `${chosenPassword}-wrong`);

    // --- payment-service: the demo member signs a real-time batch with its PFX.
    const demo = credentials['auth-service'];
    const member = credentials['payment-service'];
    const memberGrant = await call('demo member grant', `${auth}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(demo.clientId, demo.clientSecret) }, body: form({ grant_type: 'password', username: demo.username, password: demo.password }) });
    expect(memberGrant.status).toBe(200);
    remember('demo member access token', memberGrant.json.access_token, memberGrant.id);
    if (memberGrant.json.refresh_token) remember('demo member refresh token', memberGrant.json.refresh_token, memberGrant.id);
    const keyPem = execFileSync('openssl', ['pkcs12', '-in', member.pfxFile, '-nocerts', '-nodes', '-passin', `pass:${member.pfxPassphrase}`], { encoding: 'utf8' });
    const batchId = `LK${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const tokenString = `${batchId},2501,1,${member.debtorAccount},100.00,NPR,${batchId}-1,4501,23,001011160000374,100.00,${member.userId}`;
    const batch = {
      cipsBatchDetail: { batchId, batchAmount: 100, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Demo Wallet', debtorAccount: member.debtorAccount },
      cipsTransactionDetailList: [{ instructionId: `${batchId}-1`, endToEndId: 'Leak test', amount: 100, purpose: 'PAYM', creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram Bahadur', creditorAccount: '001011160000374' }],
      token: sign('sha256', Buffer.from(tokenString), { key: createPrivateKey(keyPem), padding: constants.RSA_PKCS1_PADDING }).toString('base64'),
    };
    const posted = await eventually(async () => {
      const answer = await call('post batch', `${urls['payment-service']}/api/postcipsbatch`, { method: 'POST', headers: { authorization: `Bearer ${memberGrant.json.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      expect(answer.status).toBe(200);
      return answer;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(posted.json.cipsBatchResponse.responseCode).toBe('000');

    // --- session-service: the demo bank's host app launches Billers; the page asks for its session.
    const billers = credentials['session-service'];
    const sessionId = `${billers.participantCode}_${randomUUID()}`;
    const jws = await new SignJWT({ participant_code: billers.participantCode, session_id: sessionId, channel: 'web' })
      .setProtectedHeader({ alg: 'PS256', kid: billers.participantKeys.signingKid, typ: 'JWT' })
      .sign(createPrivateKey(fs.readFileSync(billers.participantKeys.signingKeyFile, 'utf8')));
    const launchToken = await new CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: billers.billersKeys.encryptionKid })
      .encrypt(createPublicKey(fs.readFileSync(billers.billersKeys.encryptionPublicKeyFile, 'utf8')));
    remember('launch token', launchToken);
    const launch = await call('billers launch', `${urls['session-service']}/billers?${new URLSearchParams({ landing_page: 'biller-all', participant_code: billers.participantCode, channel: 'web', session_id: sessionId, token: launchToken })}`);
    expect(launch.status).toBe(200);
    const cookie = (launch.headers.get('set-cookie') ?? '').split(';')[0];
    remember('page cookie', cookie.slice(cookie.indexOf('=') + 1), launch.id);
    const session = await call('page session', `${urls['session-service']}/billers/api/session`, { method: 'POST', headers: { cookie, origin: urls['session-service'], 'x-billers-host-origin': billers.allowedHostOrigin, 'content-type': 'application/json' }, body: JSON.stringify({ session_id: sessionId }) });
    expect(session.status).toBe(200);

    // --- hcx-gateway: API keys, a new participant (secret shown once) and a rotation.
    const hcx = urls['hcx-gateway'];
    const hcxAdmin = { authorization: `Bearer ${dataFile(platform, 'secrets', 'hcx-gateway', 'admin-token')}`, 'content-type': 'application/json' };
    const provider = credentials['hcx-gateway'].participants[0];
    const apiKey = await call('hcx token', `${hcx}/token/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: provider.client_id, client_secret: provider.client_secret }) });
    expect(apiKey.status).toBe(200);
    remember('hcx api key', apiKey.json.access_token, apiKey.id);
    const certificate = fs.readFileSync(provider.certificate_file, 'utf8');
    const participantCode = `leak-${randomUUID().slice(0, 8)}@hcx`;
    const participant = await call('hcx create participant', `${hcx}/participants`, { method: 'POST', headers: hcxAdmin, body: JSON.stringify({ participant_code: participantCode, participant_name: 'Leak Hospital', roles: ['provider'], primary_email: 'leak@demo.invalid', endpoint_url: 'http://127.0.0.1:4199/hcx', encryption_cert: certificate, signing_cert: certificate, status: 'Active' }) });
    expect(participant.status).toBeLessThan(300);
    // The secret is delivered out of band (standalone: a file in the notifications directory), never in an answer.
    const mailbox = path.join(platform.dataDir, 'demo', 'hcx-gateway', 'notifications', `${participantCode}.client_secret`);
    const deliveredSecret = (version: number) =>
      eventually(() => {
        const text = fs.readFileSync(mailbox, 'utf8');
        expect(text).toContain(`secret_version=${version}`);
        return /^client_secret=(.+)$/m.exec(text)![1];
      }, { timeoutMs: 30_000, intervalMs: 200 });
    const firstSecret = await deliveredSecret(1);
    remember('new hcx client secret', firstSecret);
    const rotation = await call('hcx rotate secret', `${hcx}/participants/${encodeURIComponent(participantCode)}/secret/rotate`, { method: 'POST', headers: hcxAdmin });
    expect(rotation.status).toBeLessThan(300);
    const rotatedSecret = await deliveredSecret(2);
    remember('rotated hcx client secret', rotatedSecret);
    const newKey = await call('hcx token after rotation', `${hcx}/token/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: participantCode, client_secret: rotatedSecret }) });
    expect(newKey.status).toBe(200);
    remember('hcx api key after rotation', newKey.json.access_token, newKey.id);
    const stale = await call('hcx token with the old secret', `${hcx}/token/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: participantCode, client_secret: firstSecret }) });
    expect(stale.status).toBe(401);

    rememberGeneratedFiles();
    // Let outbox relays, consumers and access logs write what they write.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  });

  it('finds no secret in any log line', () => {
    const output = platform.output();
    expect(output.split('\n').length).toBeGreaterThan(50);
    const found = secrets.filter((secret) => output.includes(secret.value)).map((secret) => secret.name);
    expect(found).toEqual([]);
  });

  it('finds no secret in any answer except the one that delivered it', () => {
    const found = secrets.flatMap((secret) => answers.filter((answer) => !secret.deliveredIn.has(answer.id) && answer.text.includes(secret.value)).map((answer) => `${secret.name} in "${answer.what}"`));
    expect(found).toEqual([]);
  });

  it('finds no secret in any column of any table (hashed and encrypted columns hold something else)', async () => {
    const client = new Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ table_schema: string; table_name: string }>(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('auth', 'session', 'payment', 'hcx') AND table_type = 'BASE TABLE'",
      );
      expect(tables.rows.length).toBeGreaterThan(10);
      const found: string[] = [];
      let rows = 0;
      for (const { table_schema: schema, table_name: table } of tables.rows) {
        const result = await client.query(`SELECT * FROM "${schema}"."${table}"`);
        rows += result.rows.length;
        for (const row of result.rows) {
          for (const [column, value] of Object.entries(row as Record<string, unknown>)) {
            const text = Buffer.isBuffer(value) ? `${value.toString('utf8')} ${value.toString('base64')}` : typeof value === 'string' ? value : JSON.stringify(value) ?? '';
            for (const secret of secrets) if (text.includes(secret.value)) found.push(`${secret.name} in ${schema}.${table}.${column}`);
          }
        }
      }
      expect(rows).toBeGreaterThan(20);
      expect([...new Set(found)]).toEqual([]);
    } finally {
      await client.end();
    }
    process.stdout.write(`secrets never leak: ${secrets.length} secrets searched in ${platform.output().split('\n').length} log lines, ${answers.length} answers and every column\n`);
  });
});
