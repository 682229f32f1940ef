import { randomBytes } from 'node:crypto';
import { loadConfig } from '@npi/config';
import { hcxConfigSchema } from './config';

const base = {
  DATABASE_URL: 'postgresql://localhost/x',
  BROKER: 'inprocess',
  HCX_INSTANCE_ID: 'hcx-1',
  HCX_KEKS: `k1:${randomBytes(32).toString('base64')}`,
  HCX_ACTIVE_KEK_ID: 'k1',
  HCX_ADMIN_TOKEN: randomBytes(32).toString('base64url'),
};

describe('hcx-gateway config', () => {
  it('loads with its security settings and safe defaults', () => {
    const config = loadConfig('hcx-gateway', hcxConfigSchema, base);
    expect(config.HCX_API_KEY_TTL_SECONDS).toBe(3600);
    expect(config.HCX_DISPATCH_RETRIES).toBe(3);
    expect(Object.keys(config.HCX_KEKS)).toEqual(['k1']);
  });

  it.each([
    ['no KEK', { HCX_KEKS: '' }],
    ['a 16-byte KEK', { HCX_KEKS: `k1:${randomBytes(16).toString('base64')}` }],
    ['an active KEK id that is not configured', { HCX_ACTIVE_KEK_ID: 'k2' }],
    ['no admin token', { HCX_ADMIN_TOKEN: '' }],
    ['a short admin token', { HCX_ADMIN_TOKEN: 'changeme' }],
    ['no instance id', { HCX_INSTANCE_ID: '' }],
    ['external issuers that are not JSON', { HCX_EXTERNAL_ISSUERS: '{' }],
  ])('refuses to start with %s', (_name, change) => {
    expect(() => loadConfig('hcx-gateway', hcxConfigSchema, { ...base, ...change })).toThrow();
  });
});
