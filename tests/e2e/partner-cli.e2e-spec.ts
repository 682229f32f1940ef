/**
 * `npx npi-partner` as a partner runs it right after `npm start`: the standalone system is started
 * on ephemeral ports, and every command is run as a child process against it with the credentials
 * file it wrote. Results are checked independently where it matters (node:crypto for the NCHL
 * signature, the session-service page for launch URLs, the HCX gateway's routing for send/listen).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { constants, randomBytes, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STANDALONE_LAUNCHER, freePort, servicePortEnvironment, servicePorts, startStandalone } from '../support/standalone-process';
import type { StandaloneProcess } from '../support/standalone-process';

jest.setTimeout(240_000);

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'apps', 'partner-cli', 'bin', 'npi-partner.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-partner-cli-'));
const work = path.join(dataDir, 'work');
const credentialsFile = path.join(dataDir, 'demo', 'credentials.json');
/** The standalone system under test (restarted by one test). */
let system: StandaloneProcess | undefined;
const systemOutput = () => system?.output() ?? '';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<CliRun>; stdout: () => string } {
  const child = spawn(process.execPath, [bin, '--credentials', credentialsFile, ...args], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

const cli = (...args: string[]) => start(args).done;

/** `--json` output, with the exit code checked first so a failure shows its error. */
async function cliJson<T = Record<string, any>>(...args: string[]): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const run = await cli('--json', ...args);
  if (run.code !== 0) process.stderr.write(`npm start's log (tail):\n${systemOutput().slice(-6000)}\n`);
  expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

async function cliError(...args: string[]): Promise<{ code: number | null; error: { code: string; message: string; fix: string } }> {
  const run = await cli('--json', ...args);
  return { code: run.code, error: (JSON.parse(run.stderr.trim().split('\n').pop() as string) as { error: { code: string; message: string; fix: string } }).error };
}

describe('npx npi-partner against a running standalone system', () => {
  let services: Record<string, string>;

  let systemEnv: NodeJS.ProcessEnv;

  async function launchSystem(): Promise<void> {
    system = await startStandalone(process.execPath, [STANDALONE_LAUNCHER], { cwd: root, env: systemEnv });
  }

  async function stopSystem(): Promise<number | null> {
    return system ? system.stop() : null;
  }

  beforeAll(async () => {
    fs.mkdirSync(work);
    systemEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NPI_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      ...servicePortEnvironment(await servicePorts()),
      STANDALONE_DB_PORT: String(await freePort()),
    };
    await launchSystem();
    services = (JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as { services: Record<string, string> }).services;
  }, 200_000);

  afterAll(async () => {
    await stopSystem();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('--help lists every command group with examples; usage errors exit 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const group of ['keys', 'oauth', 'npi', 'billers', 'hcx']) expect(help.stdout).toContain(`  ${group} `);
    expect(help.stdout).toContain('Examples');
    const postHelp = await cli('npi', 'post-batch', '--help');
    expect(postHelp.stdout).toContain('npx npi-partner npi post-batch payment.csv');
    expect((await cli('npi', 'no-such-command')).code).toBe(2);
  });

  it('keys generate writes a 2048-bit key (0600), certificate and PFX; keys jwks publishes the public part; small keys are refused', async () => {
    const generated = await cliJson('keys', 'generate', '--out', path.join(work, 'keys'), '--name', 'partner-one');
    expect(generated.modulusLength).toBe(2048);
    expect(fs.statSync(generated.privateKeyFile).mode & 0o077).toBe(0);
    expect(fs.statSync(generated.pfxFile).mode & 0o077).toBe(0);
    expect(fs.readFileSync(generated.certificateFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    const jwks = await cliJson<{ keys: Record<string, string>[] }>('keys', 'jwks', generated.certificateFile, '--use', 'enc', '--kid', 'enc-1');
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: 'enc-1', use: 'enc', e: 'AQAB' })]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|"p"|"q"/);
    const small = await cliError('keys', 'generate', '--out', path.join(work, 'keys'), '--name', 'small', '--bits', '1024');
    expect(small).toEqual({ code: 1, error: expect.objectContaining({ code: 'ERR_KEY_TOO_SMALL', fix: expect.stringContaining('--bits 2048') }) });
  });

  it('oauth token, refresh, introspect and revoke; a revoked refresh token is invalid_grant', async () => {
    const token = await cliJson('oauth', 'token');
    expect(token).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
    const refreshed = await cliJson('oauth', 'refresh', '--refresh-token', token.refresh_token);
    // The demo client's refresh policy is `reusable` (NCHL's guide): a new access token, maybe the same refresh token.
    expect(refreshed.access_token).not.toBe(token.access_token);
    const introspected = await cliJson('oauth', 'introspect', '--token', refreshed.access_token);
    expect(introspected).toMatchObject({ active: true, sub: 'demo.user', client_id: 'demo-bank' });
    expect(await cliJson('oauth', 'revoke', '--token', refreshed.refresh_token, '--hint', 'refresh_token')).toEqual({ revoked: true });
    const again = await cliError('oauth', 'refresh', '--refresh-token', refreshed.refresh_token);
    expect(again).toEqual({ code: 1, error: expect.objectContaining({ code: 'invalid_grant', fix: expect.stringContaining('oauth token') }) });
  });

  it("npi sign makes NCHL's token string and a SHA256withRSA signature that the member's certificate verifies", async () => {
    const payment = (JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as { 'payment-service': { certificateFile: string; userId: string } })['payment-service'];
    const file = path.join(work, 'real-time.json');
    fs.writeFileSync(file, JSON.stringify({
      cipsBatchDetail: { batchId: 'SIGN-1', batchAmount: 1500, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Demo', debtorAccount: '0010055573200018' },
      cipsTransactionDetailList: [{ instructionId: 'SIGN-1-1', endToEndId: 'Payment', amount: 1500, purpose: 'PAYM', creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram', creditorAccount: '001011160000374' }],
    }));
    const signed = await cliJson('npi', 'sign', file);
    expect(signed.tokenString).toBe(`SIGN-1,2501,1,0010055573200018,1500.00,NPR,SIGN-1-1,4501,23,001011160000374,1500.00,${payment.userId}`);
    const certificate = fs.readFileSync(payment.certificateFile, 'utf8');
    expect(verify('sha256', Buffer.from(signed.tokenString), { key: certificate, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signed.token, 'base64'))).toBe(true);
  });

  it('npi post-batch reports a refusal with NCHL\'s code and exit 1 (debtor account not whitelisted: E007)', async () => {
    const file = path.join(work, 'other-account.csv');
    fs.writeFileSync(file, 'amount,creditorAgent,creditorBranch,creditorName,creditorAccount\n10,4501,23,Ram,001011160000374\n');
    const run = await cli('--json', 'npi', 'post-batch', file, '--debtor-agent', '2501', '--debtor-branch', '1', '--debtor-account', '0019999999999999');
    expect(run.code).toBe(1);
    // The refusal is signed too (over batchId,responseCode,): verified with NPI's certificate.
    expect(JSON.parse(run.stdout).batches[0]).toMatchObject({ accepted: false, httpStatus: 400, responseCode: 'E007', answerSignature: 'verified' });
    expect(JSON.parse(run.stderr.trim()).error).toMatchObject({ code: 'E007', fix: expect.stringContaining('docs/npi-reference.md') });
  });

  it('npi post-batch posts a real-time payment and a non-real-time batch, verifies NPI\'s answers, and npi report finds them', async () => {
    const header = 'instructionId,endToEndId,amount,purpose,creditorAgent,creditorBranch,creditorName,creditorAccount';
    const single = path.join(work, 'payment.csv');
    fs.writeFileSync(single, `${header}\n,Bill payment,1500,PAYM,4501,23,RAM BAHADUR THAPA,001011160000374\n`);
    const batchId = `RT${randomBytes(3).toString('hex').toUpperCase()}`;
    const realTime = await cliJson('npi', 'post-batch', single, '--batch-id', batchId);
    expect(realTime).toMatchObject({ accepted: 1, refused: 0, transactions: 1 });
    expect(realTime.batches[0]).toMatchObject({ kind: 'real-time', batchId, httpStatus: 200, responseCode: '000', accepted: true, answerSignature: 'verified' });

    // One access token for the reports below: right after a 10,000-transaction batch the embedded
    // database is busy settling it, and a scripted member reuses its token anyway (--access-token).
    const { access_token: accessToken } = await cliJson<{ access_token: string }>('oauth', 'token');

    const many = path.join(work, 'salaries.csv');
    // NCHL's maximum: 10,000 transactions in one non-real-time batch (about 0.5 MB of CSV, 2 MB of JSON).
    const count = 10_000;
    const paisa = (i: number) => ((i % 100) + 10) * 100 + 25;
    const rows = Array.from({ length: count }, (_, i) => `,Salary,${(paisa(i) / 100).toFixed(2)},,4501,23,Staff ${i},00101116${String(i).padStart(7, '0')}`);
    fs.writeFileSync(many, `${header}\n${rows.join('\n')}\n`);
    const salaries = `SAL${randomBytes(3).toString('hex').toUpperCase()}`;
    const withProgress = await cli('npi', 'post-batch', many, '--batch-id', salaries, '--category-purpose', 'SALA');
    expect({ code: withProgress.code, stderr: withProgress.stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`posting ${count}/${count} (100%)`) });
    expect(withProgress.stdout).toMatch(new RegExp(`accepted non-real-time +${salaries} +${count} txn +200 000 .*answer signature: verified`));

    // Reports of the real-time payment (a 10,000-transaction report is slow to build and adds nothing here).
    // NCHL's report shapes are payment-service's business; the batch and its transaction must be in them.
    expect(JSON.stringify(await cliJson('npi', 'report', '--batch-id', batchId, '--access-token', accessToken))).toContain(`"${batchId}"`);
    expect(JSON.stringify(await cliJson('npi', 'report', '--batch-id', batchId, '--instruction-id', `${batchId}-1`, '--access-token', accessToken))).toContain(`"${batchId}-1"`);
  }, 480_000);

  it('billers launch-url opens the Billers page; billers open decrypts and verifies the npiObject the page returns', async () => {
    const { url, sessionId } = await cliJson<{ url: string; sessionId: string }>('billers', 'launch-url');
    expect(url.startsWith(`${services['session-service']}/billers?`)).toBe(true);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const cookie = String(page.headers.get('set-cookie')).split(';')[0];
    const prepared = await fetch(`${services['session-service']}/billers/api/npi-object`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: services['session-service'], 'x-billers-host-origin': 'http://127.0.0.1:8080' },
      body: JSON.stringify({ session_id: sessionId, biller_code: 'NTC-PREPAID', fields: { mobile: '9841000000', amount: '100' } }),
    });
    expect(prepared.status).toBe(200);
    const { npiObject } = (await prepared.json()) as { npiObject: string };
    const opened = await cliJson('billers', 'open', npiObject);
    expect(opened).toMatchObject({ verified: true, signer: { id: 'npi-billers' } });
    expect(JSON.stringify(opened.claims)).toContain('9841000000');

    const tampered = `${npiObject.slice(0, -4)}${npiObject.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const refused = await cliError('billers', 'open', tampered);
    expect(refused.code).toBe(1);
    expect(refused.error.code).toMatch(/^ERR_JWE_/);
  });

  it('hcx send routes an encrypted bundle through the gateway to hcx listen, which verifies the RS256 token and decrypts it', async () => {
    const adminToken = fs.readFileSync(path.join(dataDir, 'secrets', 'hcx-gateway', 'admin-token'), 'utf8').trim();
    const keys = await cliJson('keys', 'generate', '--out', path.join(work, 'hcx'), '--name', 'listener-payor');
    const port = await freePort();
    const code = `cli-payor-${randomBytes(3).toString('hex')}@hcx`;
    const participant = {
      participant_code: code, participant_name: 'CLI test payor', roles: ['payor'], primary_email: 'ops@example.test', primary_mobile: '+9779800000000',
      endpoint_url: `http://127.0.0.1:${port}`, encryption_cert: fs.readFileSync(keys.certificateFile, 'utf8'), signing_cert: fs.readFileSync(keys.certificateFile, 'utf8'), status: 'Active',
    };
    // The operator registers the participant (registry API, as an HCX operator would).
    const created = await fetch(`${services['hcx-gateway']}/participants`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify(participant) });
    if (created.status !== 201) process.stderr.write(`participant creation answered ${created.status} ${await created.text()}\nnpm start's log (tail):\n${systemOutput().slice(-6000)}\n`);
    expect(created.status).toBe(201);

    const token = await cliJson('hcx', 'token');
    expect(token).toMatchObject({ participant: 'demo-provider@hcx', access_token: expect.any(String) });

    const listener = start(['--json', 'hcx', 'listen', '--port', String(port), '--key', keys.privateKeyFile, '--count', '1']);
    const deadline = Date.now() + 30_000;
    while (!(await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error('hcx listen did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const unauthenticated = await fetch(`http://127.0.0.1:${port}/coverageeligibility/check`, { method: 'POST', body: '{}' });
    expect([unauthenticated.status, ((await unauthenticated.json()) as { error: { code: string } }).error.code]).toEqual([401, 'ERR_HCX_TOKEN_MISSING']);

    const bundle = { resourceType: 'Bundle', id: randomBytes(8).toString('hex'), type: 'collection', entry: [{ resource: { resourceType: 'CoverageEligibilityRequest', status: 'active' } }] };
    const bundleFile = path.join(work, 'bundle.json');
    fs.writeFileSync(bundleFile, JSON.stringify(bundle));
    const sent = await cliJson('hcx', 'send', 'coverageeligibility/check', '--to', code, '--file', bundleFile);
    expect(sent).toMatchObject({ from: 'demo-provider@hcx', to: code, acknowledgement: { api_call_id: sent.headers['x-hcx-api_call_id'] } });

    const heard = await listener.done;
    expect(heard.code).toBe(0);
    const lines = heard.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(lines[0]).toMatchObject({ refused: 'ERR_HCX_TOKEN_MISSING' });
    const delivered = lines.find((line) => line.payload);
    expect(delivered).toMatchObject({ path: '/coverageeligibility/check', payload: bundle, headers: { 'x-hcx-sender_code': 'demo-provider@hcx', 'x-hcx-recipient_code': code } });

    const unknown = await cliError('hcx', 'send', 'coverageeligibility/check', '--to', 'nobody@hcx', '--file', bundleFile);
    expect(unknown).toEqual({ code: 1, error: expect.objectContaining({ code: 'ERR_PARTICIPANT_NOT_FOUND' }) });
  });

  it('says what to do when the system is not running or the credentials file is missing', async () => {
    const down = await cliError('oauth', 'token', '--auth-url', `http://127.0.0.1:${await freePort()}`);
    expect(down).toEqual({ code: 1, error: expect.objectContaining({ code: 'ERR_SERVICE_UNREACHABLE', fix: expect.stringContaining('npm start') }) });
    const run = await start(['--json', '--credentials', path.join(work, 'none.json'), 'oauth', 'token']).done;
    expect(JSON.parse(run.stderr.trim()).error).toMatchObject({ code: 'ERR_CREDENTIALS_NOT_FOUND', fix: expect.stringContaining('npm start') });
  });

  it('keeps working after a second npm start on the same data (the demo member is allowed again, not E001)', async () => {
    expect(await stopSystem()).toBe(0);
    await launchSystem();
    const file = path.join(work, 'after-restart.csv');
    fs.writeFileSync(file, 'amount,creditorAgent,creditorBranch,creditorName,creditorAccount\n25,4501,23,Ram,001011160000374\n');
    const again = await cliJson('npi', 'post-batch', file);
    expect(again.batches[0]).toMatchObject({ accepted: true, responseCode: '000', answerSignature: 'verified' });
  });
});
