import { ConfigError, loadConfig } from '@npi/config';
import { paymentConfigSchema } from './config';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/npi',
  BROKER: 'inprocess',
  AUTH_ISSUER: 'http://127.0.0.1:3001',
  AUTH_JWKS_URL: 'http://127.0.0.1:3001/.well-known/jwks.json',
  NPI_SIGNING_PFX_BASE64: 'MIIB',
  NPI_SIGNING_PFX_PASSPHRASE: 'p'.repeat(24),
  PAYMENT_ADMIN_TOKEN: 'a'.repeat(43),
};

describe('payment-service configuration', () => {
  it('parses with defaults: business-day sessions in Asia/Kathmandu, audience npi', () => {
    const config = loadConfig('payment-service', paymentConfigSchema, valid);
    expect(config.SETTLEMENT_TIMEZONE).toBe('Asia/Kathmandu');
    expect(config.SETTLEMENT_SESSION_CUTOFFS).toEqual([]);
    expect(config.AUTH_AUDIENCE).toBe('npi');
    expect(config.SETTLEMENT_AUTO_CREDIT).toBe(true);
  });

  it.each(['AUTH_ISSUER', 'AUTH_JWKS_URL', 'NPI_SIGNING_PFX_BASE64', 'NPI_SIGNING_PFX_PASSPHRASE', 'PAYMENT_ADMIN_TOKEN'])('refuses to start without %s', (name) => {
    expect(() => loadConfig('payment-service', paymentConfigSchema, { ...valid, [name]: '' })).toThrow(ConfigError);
  });

  it('refuses a weak admin token and a bad time zone or cut-off', () => {
    expect(() => loadConfig('payment-service', paymentConfigSchema, { ...valid, PAYMENT_ADMIN_TOKEN: 'changeme' })).toThrow(/at least 32/);
    expect(() => loadConfig('payment-service', paymentConfigSchema, { ...valid, SETTLEMENT_TIMEZONE: 'Mars/Olympus' })).toThrow(/SETTLEMENT_TIMEZONE/);
    expect(() => loadConfig('payment-service', paymentConfigSchema, { ...valid, SETTLEMENT_SESSION_CUTOFFS: '25:00' })).toThrow(/SETTLEMENT_SESSION_CUTOFFS/);
  });
});
