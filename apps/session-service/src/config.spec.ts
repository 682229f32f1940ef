import { loadConfig } from '@npi/config';
import { cookieSecure, sessionConfigSchema } from './config';

const base = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/npi',
  BROKER: 'inprocess',
  SESSION_PUBLIC_URL: 'https://billers.example',
  BILLERS_SIGNING_KEY_FILE: '/run/secrets/sig.pem',
  BILLERS_SIGNING_KID: 'sig-1',
  BILLERS_ENCRYPTION_KEY_FILE: '/run/secrets/enc.pem',
  BILLERS_ENCRYPTION_KID: 'enc-1',
  SESSION_ADMIN_TOKEN: 'a'.repeat(40),
  SESSION_COOKIE_SECRET: 'c'.repeat(40),
};

describe('session-service configuration', () => {
  it('loads with defaults: one-hour sessions, secure cookies only in production', () => {
    const config = loadConfig('session-service', sessionConfigSchema, base);
    expect(config.SESSION_LIFETIME_SECONDS).toBe(3600);
    expect(cookieSecure(config)).toBe(false);
    expect(cookieSecure(loadConfig('session-service', sessionConfigSchema, { ...base, NODE_ENV: 'production' }))).toBe(true);
  });

  it.each(['BILLERS_SIGNING_KEY', 'BILLERS_ENCRYPTION_KEY', 'SESSION_ADMIN_TOKEN', 'SESSION_COOKIE_SECRET', 'SESSION_PUBLIC_URL', 'BILLERS_SIGNING_KID'])(
    'refuses to start without %s',
    (name) => {
      const env: Record<string, string> = { ...base };
      delete env[name];
      delete env[`${name}_FILE`];
      expect(() => loadConfig('session-service', sessionConfigSchema, env)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID', message: expect.stringContaining(name) }));
    },
  );

  it('refuses a weak admin token or cookie secret', () => {
    expect(() => loadConfig('session-service', sessionConfigSchema, { ...base, SESSION_ADMIN_TOKEN: 'changeme' })).toThrow(/SESSION_ADMIN_TOKEN/);
    expect(() => loadConfig('session-service', sessionConfigSchema, { ...base, SESSION_COOKIE_SECRET: 'short' })).toThrow(/SESSION_COOKIE_SECRET/);
  });
});
