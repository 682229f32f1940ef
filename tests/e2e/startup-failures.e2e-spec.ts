/**
 * A start that cannot succeed after the configuration was accepted (a missing key file, a wrong PFX
 * passphrase, PostgreSQL or Kafka not answering) ends with exactly one line on stderr naming the
 * setting, and exit code 78 (EX_CONFIG) or 69 (EX_UNAVAILABLE): never a stack trace, never an
 * unhandled rejection. Each case spawns the service's real entry point (main.ts) as an operator would.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateMemberCredentials } from '@npi/signature-token';

const ROOT = path.resolve(__dirname, '..', '..');
const TIMEOUT_MS = 60_000;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function runMain(app: string, env: Record<string, string | undefined>): Promise<Outcome> {
  const port = String(await closedPort());
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', './tools/ts-register.js', `apps/${app}/src/main.ts`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: port, ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS - 5_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function expectOneClearLine(outcome: Outcome, exitCode: number, setting: string): void {
  const lines = outcome.stderr.trim().split('\n');
  expect({ code: outcome.code, lines }).toEqual({ code: exitCode, lines: [expect.stringContaining(setting)] });
  expect(lines[0]).toMatch(/^[a-z-]+: cannot start: /);
  for (const text of [outcome.stderr, outcome.stdout]) {
    expect(text).not.toMatch(/\n\s+at /); // no stack frame anywhere
    expect(text).not.toMatch(/UnhandledPromiseRejection|unhandled/i);
  }
}

const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'startup-failures-'));
const signingKeyFile = path.join(keyDir, 'auth-signing.pem');
fs.writeFileSync(signingKeyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

function authEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_SIZE: '2',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    STARTUP_DEPENDENCY_TIMEOUT_MS: '4000',
    AUTH_ISSUER: 'http://auth.npi.test',
    AUTH_SIGNING_KEY_FILE: signingKeyFile,
    AUTH_ADMIN_CLIENT_ID: 'startup-admin',
    AUTH_ADMIN_CLIENT_SECRET: randomBytes(32).toString('base64url'),
    AUTH_ADMIN_USERNAME: 'root',
    AUTH_ADMIN_PASSWORD: randomBytes(16).toString('base64url'),
    AUTH_ADMIN_CIDRS: '127.0.0.1/32',
    AUTH_SCRYPT_LOG_N: '15',
    ...extra,
  };
}

describe('startup failures after configuration: one line naming the setting, exit 78 or 69', () => {
  it('auth-service with a signing key file that does not exist: exit 78 naming AUTH_SIGNING_KEY_FILE', async () => {
    const outcome = await runMain('auth-service', authEnv({ AUTH_SIGNING_KEY_FILE: path.join(keyDir, 'missing.pem') }));
    expectOneClearLine(outcome, 78, 'AUTH_SIGNING_KEY_FILE');
    expect(outcome.stderr).toContain('no such file');
  }, TIMEOUT_MS);

  it('auth-service with a key file that holds no key: exit 78 naming AUTH_SIGNING_KEY_FILE', async () => {
    const garbage = path.join(keyDir, 'garbage.pem');
    fs.writeFileSync(garbage, 'not a key');
    expectOneClearLine(await runMain('auth-service', authEnv({ AUTH_SIGNING_KEY_FILE: garbage })), 78, 'AUTH_SIGNING_KEY_FILE');
  }, TIMEOUT_MS);

  it('payment-service with a wrong PFX passphrase: exit 78 naming NPI_SIGNING_PFX_PASSPHRASE, the passphrase not echoed', async () => {
    const credentials = generateMemberCredentials({ commonName: 'NPI startup test', passphrase: 'the-right-passphrase-1', days: 30 });
    const wrong = 'a-wrong-passphrase-2';
    const outcome = await runMain('payment-service', {
      ...authEnv(),
      AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      NPI_SIGNING_PFX_BASE64: credentials.pfx.toString('base64'),
      NPI_SIGNING_PFX_PASSPHRASE: wrong,
      PAYMENT_ADMIN_TOKEN: randomBytes(32).toString('base64url'),
    });
    expectOneClearLine(outcome, 78, 'NPI_SIGNING_PFX_PASSPHRASE');
    expect(outcome.stderr + outcome.stdout).not.toContain(wrong);
  }, TIMEOUT_MS);

  it('auth-service with PostgreSQL not answering: exit 69 naming DATABASE_URL', async () => {
    const port = await closedPort();
    const outcome = await runMain('auth-service', authEnv({ DATABASE_URL: `postgresql://npi:secret-password@127.0.0.1:${port}/npi` }));
    expectOneClearLine(outcome, 69, 'DATABASE_URL');
    expect(outcome.stderr + outcome.stdout).not.toContain('secret-password');
  }, TIMEOUT_MS);

  it('auth-service with Kafka not answering: exit 69 naming KAFKA_BROKERS', async () => {
    const port = await closedPort();
    expectOneClearLine(await runMain('auth-service', authEnv({ KAFKA_BROKERS: `127.0.0.1:${port}` })), 69, 'KAFKA_BROKERS');
  }, TIMEOUT_MS);
});
