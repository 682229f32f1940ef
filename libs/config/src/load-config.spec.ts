import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { requireBrokersForKafka, secretString, serviceBaseSchema } from './schemas';

const schema = serviceBaseSchema
  .extend({ SIGNING_SECRET: secretString('SIGNING_SECRET') })
  .superRefine(requireBrokersForKafka);

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/npi',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
  SIGNING_SECRET: 'x'.repeat(40),
};

describe('loadConfig', () => {
  it('parses and applies defaults', () => {
    const config = loadConfig('svc', schema, valid);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(config.BROKER).toBe('kafka');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('refuses to start without a security setting, naming it but never echoing values', () => {
    const attempt = () => loadConfig('svc', schema, { ...valid, SIGNING_SECRET: '' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).code).toBe('ERR_CONFIG_INVALID');
      expect((error as ConfigError).problems.join()).toContain('SIGNING_SECRET is required');
    }
  });

  it('refuses weak secrets without printing them', () => {
    try {
      loadConfig('svc', schema, { ...valid, SIGNING_SECRET: 'changeme' });
      throw new Error('should have failed');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('at least 32 characters');
      expect((error as Error).message).not.toContain('changeme');
    }
  });

  it('requires brokers unless the in-process broker is chosen', () => {
    expect(() => loadConfig('svc', schema, { ...valid, KAFKA_BROKERS: '' })).toThrow(/KAFKA_BROKERS/);
    expect(loadConfig('svc', schema, { ...valid, KAFKA_BROKERS: '', BROKER: 'inprocess' }).BROKER).toBe('inprocess');
  });

  it('rejects a non-postgres DATABASE_URL', () => {
    expect(() => loadConfig('svc', z.object({ DATABASE_URL: serviceBaseSchema.shape.DATABASE_URL }), { DATABASE_URL: 'mysql://x' })).toThrow(
      /postgresql/,
    );
  });
});
