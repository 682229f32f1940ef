import { ConfigError, loadConfig } from './load-config';
import { kafkaTopicSettings, requireBrokersForKafka, serviceBaseSchema } from './schemas';
import { EXIT_CONFIG, EXIT_UNAVAILABLE, StartupError, interpretSetting, readSettingFile } from './startup-error';

const schema = serviceBaseSchema.superRefine(requireBrokersForKafka);
const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/npi', KAFKA_BROKERS: 'kafka-0:9093' };
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig('svc', schema, { ...base, ...env });
    return [];
  } catch (error) {
    return [...(error as ConfigError).problems];
  }
};

describe('Kafka TLS and SASL settings', () => {
  it('accepts TLS with SCRAM-SHA-512 credentials', () => {
    const config = loadConfig('svc', schema, { ...base, KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'payment-service', KAFKA_SASL_PASSWORD: 'p'.repeat(24) });
    expect(config).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'payment-service' });
  });

  it('refuses SASL without TLS, without a password, or with a short one; never echoing the password', () => {
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p'.repeat(20) })).toEqual(['KAFKA_SSL is required (KAFKA_SASL_MECHANISM requires KAFKA_SSL=true)']);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' })).toEqual(['KAFKA_SASL_PASSWORD is required (KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM)']);
    const short = problemsOf({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'short-secret' });
    expect(short).toEqual(['KAFKA_SASL_PASSWORD: KAFKA_SASL_PASSWORD must be at least 16 characters']);
    expect(short.join()).not.toContain('short-secret');
  });

  it('refuses credentials without a mechanism, an unknown mechanism, TLS files without TLS, half a client certificate', () => {
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p'.repeat(20) })).toEqual([
      'KAFKA_SASL_MECHANISM is required (KAFKA_SASL_MECHANISM (scram-sha-256 or scram-sha-512) is required with KAFKA_SASL_USERNAME/PASSWORD)',
    ]);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain' })[0]).toMatch(/^KAFKA_SASL_MECHANISM: Invalid enum value/);
    expect(problemsOf({ KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem' })).toEqual(['KAFKA_SSL_CA_FILE: KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not true']);
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/etc/kafka/client.pem' })).toEqual([
      'KAFKA_SSL_KEY_FILE is required (KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together)',
    ]);
  });
});

describe('Kafka topic settings', () => {
  it('defaults to 3 partitions, replication 1, min.insync.replicas 1 (a single development broker)', () => {
    expect(kafkaTopicSettings(loadConfig('svc', schema, base))).toEqual({ partitions: 3, partitionsByTopic: {}, replicationFactor: 1, minInsyncReplicas: 1 });
  });

  it('takes replication 3 with min.insync.replicas 2 by default, and partitions per topic', () => {
    const config = loadConfig('svc', schema, { ...base, KAFKA_REPLICATION_FACTOR: '3', KAFKA_PARTITIONS: '6', KAFKA_TOPIC_PARTITIONS: 'hcx.request.routed.v1=12, payments.batch.accepted.v1=24' });
    expect(kafkaTopicSettings(config)).toEqual({
      partitions: 6,
      partitionsByTopic: { 'hcx.request.routed.v1': 12, 'payments.batch.accepted.v1': 24 },
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
  });

  it('refuses min.insync.replicas above the replication factor and malformed per-topic entries', () => {
    expect(problemsOf({ KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' })).toEqual(['KAFKA_MIN_INSYNC_REPLICAS: must not exceed KAFKA_REPLICATION_FACTOR']);
    expect(problemsOf({ KAFKA_TOPIC_PARTITIONS: 'hcx.request.routed.v1=0' })).toEqual(['KAFKA_TOPIC_PARTITIONS.0 is required (entries are topic=partitions)']);
  });
});

describe('startup errors', () => {
  it('name the setting of a missing file, with exit code 78, never the file content', () => {
    const error = (() => {
      try {
        readSettingFile('AUTH_SIGNING_KEY_FILE', '/nonexistent/key.pem');
      } catch (caught) {
        return caught as StartupError;
      }
      throw new Error('expected a StartupError');
    })();
    expect(error).toBeInstanceOf(StartupError);
    expect(error.message).toBe('AUTH_SIGNING_KEY_FILE: cannot read /nonexistent/key.pem (no such file)');
    expect(error.exitCode).toBe(EXIT_CONFIG);
    expect(new StartupError('DATABASE_URL', 'no answer', 'unavailable').exitCode).toBe(EXIT_UNAVAILABLE);
  });

  it('replace a library error (which may quote a secret) with the setting and what was wrong', () => {
    const attempt = () => interpretSetting('NPI_SIGNING_PFX_PASSPHRASE', 'cannot open the PFX with it', () => {
      throw new Error('mac verify failure for passphrase hunter2');
    });
    expect(attempt).toThrow('NPI_SIGNING_PFX_PASSPHRASE: cannot open the PFX with it');
  });
});
