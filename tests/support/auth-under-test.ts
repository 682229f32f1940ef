/**
 * auth-service from its service definition against the test PostgreSQL and Kafka, with a fresh
 * signing key and an operator admin client and user of its own, for tests that need real OAuth
 * tokens (an NPI member's journey). payment-service trusts it as `http://auth.npi.test`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@npi/config';
import { startService } from '@npi/service-runtime';
import type { RunningService } from '@npi/service-runtime';
import { authConfigSchema } from '../../apps/auth-service/src/config';
import { authServiceDefinition } from '../../apps/auth-service/src/service';

export const TEST_AUTH_ISSUER = 'http://auth.npi.test';

export interface AuthUnderTest {
  service: RunningService;
  url: string;
  jwksUrl: string;
  admin: { clientId: string; clientSecret: string; username: string; password: string };
}

export async function startAuthService(options: { dir: string; kafkaClientId: string; clock?: { now(): Date } }): Promise<AuthUnderTest> {
  const admin = { clientId: `admin-${randomBytes(4).toString('hex')}`, clientSecret: randomBytes(32).toString('base64url'), username: 'root', password: randomBytes(16).toString('base64url') };
  const keyFile = path.join(options.dir, 'auth-signing.pem');
  fs.writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const config = loadConfig('auth-service', authConfigSchema, {
    NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', DATABASE_URL: process.env.DATABASE_URL, DATABASE_POOL_SIZE: '5',
    BROKER: 'kafka', KAFKA_BROKERS: process.env.KAFKA_BROKERS, KAFKA_CLIENT_ID: options.kafkaClientId,
    AUTH_ISSUER: TEST_AUTH_ISSUER, AUTH_SIGNING_KEY_FILE: keyFile, AUTH_SCRYPT_LOG_N: '15',
    AUTH_ADMIN_CLIENT_ID: admin.clientId, AUTH_ADMIN_CLIENT_SECRET: admin.clientSecret, AUTH_ADMIN_USERNAME: admin.username, AUTH_ADMIN_PASSWORD: admin.password,
    AUTH_ADMIN_CIDRS: '127.0.0.1/32,::1/128',
    // The limits are counted in the shared test database, where every test's requests come from 127.0.0.1.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const service = (await startService(authServiceDefinition, config, { port: 0, ...(options.clock ? { clock: options.clock } : {}) })) as unknown as RunningService;
  return { service, url: service.url, jwksUrl: `${service.url}/.well-known/jwks.json`, admin };
}
