/**
 * Starts auth-service for a test against the real PostgreSQL and Kafka of the global setup, with
 * a signing key generated for this run and a bootstrap admin unique to this run.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@npi/config';
import { startService } from '@npi/service-runtime';
import type { Clock, RunningService } from '@npi/service-runtime';
import { testEnvironment } from '@npi/testing';
import { AuthAdminService } from '../../src/admin/auth-admin.service';
import { authConfigSchema } from '../../src/config';
import type { AuthServiceConfig } from '../../src/config';
import { authServiceDefinition } from '../../src/service';
import { createClientBody } from '../../src/admin/auth-admin.contracts';

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

export function generateSigningKeyFile(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-key-')), type: 'ec' | 'rsa' = 'ec'): string {
  const file = path.join(dir, `signing-${type}.pem`);
  const { privateKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
      : generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  fs.writeFileSync(file, privateKey, { mode: 0o600 });
  return file;
}

export interface AdminCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface StartedAuth {
  service: RunningService<AuthServiceConfig>;
  url: string;
  admin: AdminCredentials;
  keyFile: string;
  /** Creates a client (and optionally a user) directly through AuthAdminService; returns the secrets shown once. */
  createClient(input: { clientId?: string; allowedCidrs: string[]; scopes?: string[]; grantTypes?: string[]; authMethod?: string; accessTokenTtlSeconds?: number; refreshTokenTtlSeconds?: number; refreshTokenPolicy?: 'reusable' | 'rotating'; refreshGraceSeconds?: number }): Promise<{ clientId: string; clientSecret: string }>;
  createUser(clientId: string, username?: string): Promise<{ username: string; password: string }>;
  stop(): Promise<void>;
}

export async function startAuthService(options: { env?: Record<string, string>; clock?: Clock; keyFile?: string; admin?: AdminCredentials } = {}): Promise<StartedAuth> {
  const keyFile = options.keyFile ?? generateSigningKeyFile();
  const admin = options.admin ?? { clientId: uniqueId('admin'), clientSecret: randomBytes(32).toString('base64url'), username: 'root', password: randomBytes(16).toString('base64url') };
  const env = testEnvironment('auth-service', {
    AUTH_ISSUER: 'http://auth.npi.test',
    AUTH_SIGNING_KEY_FILE: keyFile,
    AUTH_ADMIN_CLIENT_ID: admin.clientId,
    AUTH_ADMIN_CLIENT_SECRET: admin.clientSecret,
    AUTH_ADMIN_USERNAME: admin.username,
    AUTH_ADMIN_PASSWORD: admin.password,
    AUTH_ADMIN_CIDRS: '127.0.0.1/32,::1/128',
    // The limits are counted in the shared test database, where every test's requests come from
    // 127.0.0.1 (and some move a ManualClock): only a test of the limit sets one.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
    ...options.env,
  });
  const config = loadConfig('auth-service', authConfigSchema, env);
  const service = await startService(authServiceDefinition, config, { port: 0, clock: options.clock });
  const adminService = service.app.get(AuthAdminService);
  const facts = { sourceIp: '127.0.0.1' };
  return {
    service,
    url: service.url.replace('127.0.0.1', config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST),
    admin,
    keyFile,
    async createClient(input) {
      const created = await adminService.createClient(createClientBody.parse({ clientId: input.clientId ?? uniqueId('bank'), ...input }), facts, 'test');
      return { clientId: created.clientId, clientSecret: created.clientSecret };
    },
    async createUser(clientId, username = uniqueId('user')) {
      const created = await adminService.createUser(clientId, { username }, facts, 'test');
      if (!created.password) throw new Error('a user created without a password gets a generated one');
      return { username: created.username, password: created.password };
    },
    stop: () => service.stop(),
  };
}

/** An independent OAuth client: plain fetch with a form body (what a member's system sends). */
export async function postForm(url: string, form: Record<string, string>, options: { basic?: { id: string; secret: string }; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (options.basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(options.basic.id)}:${encodeURIComponent(options.basic.secret)}`).toString('base64')}`;
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body };
}
