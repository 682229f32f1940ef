/**
 * `npm run bench -- auth-service`: token endpoint throughput through HTTP against the running
 * service (local PostgreSQL, in-process broker, production scrypt cost N = 2^17), as ratios of
 * the raw cryptographic work measured in the same run:
 * - refresh grant (rotation: verify client, look up, retire, insert, sign) / raw ES256 JWT signing;
 * - password grant (one scrypt for the password; the client secret's verification is cached) /
 *   raw scrypt verifications at the same concurrency (the libuv pool size).
 */
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';

import { loadConfig } from '@npi/config';
import { startService } from '@npi/service-runtime';
import { AdminService } from '../../apps/auth-service/src/admin/admin.service';
import { authConfigSchema } from '../../apps/auth-service/src/config';
import { PasswordHasher } from '../../apps/auth-service/src/crypto/password-hasher';
import { authServiceDefinition } from '../../apps/auth-service/src/service';
import { standaloneEnvironment } from '../../apps/auth-service/src/standalone';
import { measureThroughput } from '../lib/report';
import { benchDatabase } from '../lib/services';
import type { BenchMeasurement, BenchSuite } from '../lib/report';

const SIGN_MS = 4_000;
const REFRESH_MS = 8_000;
const HASH_MS = 8_000;
const PASSWORD_MS = 10_000;
const REFRESH_CONCURRENCY = 16;
const HASH_CONCURRENCY = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

const suite: BenchSuite = {
  name: 'auth-service',
  description: 'Token endpoint over HTTP vs the raw crypto it cannot avoid (ES256 signing; scrypt N=2^17,r=8,p=1), same run, same machine.',
  async run() {
    const databaseUrl = await benchDatabase('auth_service');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-bench-'));
    const secrets = standaloneEnvironment(dataDir);
    const config = loadConfig('auth-service', authConfigSchema, {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '20',
      BROKER: 'inprocess',
      AUTH_ISSUER: 'http://auth.bench',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
      ...secrets,
      AUTH_ADMIN_CLIENT_ID: `bench-admin-${path.basename(dataDir)}`,
    });
    const service = await startService(authServiceDefinition, config, { port: 0 });
    const measurements: BenchMeasurement[] = [];
    try {
      const admin = service.app.get(AdminService);
      const facts = { sourceIp: '127.0.0.1' };
      const suffix = path.basename(dataDir).replace(/[^A-Za-z0-9]/g, '').slice(-10);
      const client = await admin.createClient({ clientId: `bench-${suffix}`, allowedCidrs: ['127.0.0.1/32', '::1/128'] }, facts, 'bench');
      const users = await Promise.all(
        Array.from({ length: REFRESH_CONCURRENCY }, async (_, index) => {
          const user = await admin.createUser(client.clientId, { username: `bench.user.${index}` }, facts, 'bench');
          return { username: user.username, password: user.password as string }; // generated: no password was given
        }),
      );
      const authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
      const post = async (form: Record<string, string>) => {
        const response = await fetch(`${service.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
          body: new URLSearchParams(form).toString(),
        });
        const body = (await response.json()) as { refresh_token?: string; error?: string };
        if (response.status !== 200) throw new Error(`token endpoint answered ${response.status} ${JSON.stringify(body)}`);
        return body;
      };

      // Baseline 1: raw ES256 JWT signing of the same claims with the same key.
      const key = createPrivateKey(fs.readFileSync(secrets.AUTH_SIGNING_KEY_FILE, 'utf8'));
      const now = Math.floor(Date.now() / 1000);
      const sign = () =>
        new SignJWT({ client_id: client.clientId, scope: 'read write trust', jti: 'x' })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k' })
          .setIssuer('http://auth.bench').setSubject('bench.user.0').setAudience('npi').setIssuedAt(now).setExpirationTime(now + 300)
          .sign(key);
      const signing = await measureThroughput(sign, { concurrency: REFRESH_CONCURRENCY, durationMs: SIGN_MS });
      measurements.push({ name: 'raw ES256 JWT signing', value: signing.opsPerSecond, unit: 'tokens/s', extra: { concurrency: REFRESH_CONCURRENCY } });

      // Refresh grant: each caller keeps its own rotating chain (the first login is not counted).
      const chains = await Promise.all(users.map(async (user) => (await post({ grant_type: 'password', username: user.username, password: user.password })).refresh_token as string));
      // A free list: each chain is held by one caller at a time (concurrency == chains).
      const refresh = await measureThroughput(
        async () => {
          const current = chains.pop() as string;
          const body = await post({ grant_type: 'refresh_token', refresh_token: current });
          chains.push(body.refresh_token as string);
        },
        { concurrency: REFRESH_CONCURRENCY, durationMs: REFRESH_MS },
      );
      measurements.push({ name: 'refresh grant over HTTP', value: refresh.opsPerSecond, unit: 'grants/s', baseline: 'raw ES256 JWT signing', extra: { concurrency: REFRESH_CONCURRENCY, operations: refresh.operations } });

      // Baseline 2: raw scrypt verifications at the pool's concurrency.
      const hasher = new PasswordHasher(config.AUTH_SCRYPT_LOG_N);
      const stored = await hasher.hash('bench-password');
      const hashing = await measureThroughput(() => hasher.verify('bench-password', stored), { concurrency: HASH_CONCURRENCY, durationMs: HASH_MS });
      measurements.push({ name: 'raw scrypt verify (N=2^17,r=8,p=1)', value: hashing.opsPerSecond, unit: 'hashes/s', extra: { concurrency: HASH_CONCURRENCY } });

      let turn = 0;
      const password = await measureThroughput(
        async () => {
          const user = users[turn++ % users.length];
          await post({ grant_type: 'password', username: user.username, password: user.password });
        },
        { concurrency: HASH_CONCURRENCY, durationMs: PASSWORD_MS },
      );
      measurements.push({ name: 'password grant over HTTP', value: password.opsPerSecond, unit: 'grants/s', baseline: 'raw scrypt verify (N=2^17,r=8,p=1)', extra: { concurrency: HASH_CONCURRENCY, operations: password.operations } });
    } finally {
      await service.stop();
    }
    return {
      suite: 'auth-service',
      description: suite.description,
      measurements,
      notes: [
        'Refresh grants: one PostgreSQL transaction (retire + insert + audit outbox row) and one ES256 signature each; the client secret verification is cached after the first success.',
        `Password grants are bound by scrypt by design (memory-hard, ~${Math.round(1000 / Math.max(1, measurements[2]?.value ?? 1) * HASH_CONCURRENCY)} ms per hash per pool thread here); the ratio shows the overhead around it.`,
        `Machine: ${os.cpus().length} CPU(s), libuv pool ${HASH_CONCURRENCY}.`,
      ],
    };
  },
};

export default suite;
