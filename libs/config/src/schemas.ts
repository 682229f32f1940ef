import { z } from 'zod';

/** Empty strings count as absent: `FOO=` must not satisfy a required security setting. */
const present = (value: unknown) => (value === '' ? undefined : value);

export const optionalString = z.preprocess(present, z.string().optional());
export const requiredString = (what: string) => z.preprocess(present, z.string({ required_error: `${what} is required` }).min(1));

/** A secret: required, and long enough that it cannot be a placeholder like "changeme". */
export const secretString = (what: string, minLength = 32) =>
  z.preprocess(
    present,
    z.string({ required_error: `${what} is required` }).min(minLength, `${what} must be at least ${minLength} characters`),
  );

export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase())),
    z.boolean(),
  );

export const commaList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value ?? []),
  z.array(z.string()),
);

/** Settings every service shares: HTTP, logging, database, broker. */
export const serviceBaseSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: requiredString('DATABASE_URL').pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Hot statements as named prepared statements (planned once per connection). Only with a real
   * PostgreSQL reached directly or through a pooler that keeps prepared statements (PgBouncer needs
   * max_prepared_statements); never with the embedded PGlite (one session for all connections).
   */
  DATABASE_PREPARED_STATEMENTS: booleanFlag(false),
  /** `inprocess` only in standalone mode, where all services share one process. */
  BROKER: z.enum(['kafka', 'inprocess']).default('kafka'),
  KAFKA_BROKERS: commaList,
  KAFKA_CLIENT_ID: optionalString,
  /** Prefix of this service's consumer groups (default: the service name); tests isolate runs with it. */
  KAFKA_CONSUMER_GROUP_PREFIX: optionalString,
  /** TLS to the brokers; the CA bundle defaults to the system's. Client certificate (mTLS) optional. */
  KAFKA_SSL: booleanFlag(false),
  KAFKA_SSL_CA_FILE: optionalString,
  KAFKA_SSL_CERT_FILE: optionalString,
  KAFKA_SSL_KEY_FILE: optionalString,
  /** SASL/SCRAM authentication (requires KAFKA_SSL: credentials and data never cross in clear). */
  KAFKA_SASL_MECHANISM: z.preprocess(present, z.enum(['scram-sha-256', 'scram-sha-512']).optional()),
  KAFKA_SASL_USERNAME: optionalString,
  KAFKA_SASL_PASSWORD: optionalString,
  /** Topics this service creates when missing (existing topics are left as they are). */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1_000).default(3),
  /** Per-topic partition counts, `topic=N,topic=N` (e.g. more for hcx.request.routed.v1). */
  KAFKA_TOPIC_PARTITIONS: commaList.pipe(z.array(z.string().regex(/^[A-Za-z0-9._-]+=[1-9][0-9]*$/, 'entries are topic=partitions'))),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(7).default(1),
  /** Default: 2 with a replication factor of 3 or more, else 1. */
  KAFKA_MIN_INSYNC_REPLICAS: z.preprocess(present, z.coerce.number().int().min(1).max(7).optional()),
  /** OTLP/HTTP collector for traces (e.g. http://otel-collector:4318); absent: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(present, z.string().url().optional()),
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (seed 001 section 7.1). */
  TRUSTED_PROXIES: commaList,
  HTTP_BODY_LIMIT: z.string().default('1mb'),
  /**
   * How long an idle kept-alive connection stays open. Above the idle timeout of whatever proxies
   * to the service (60 s for most load balancers and ingress controllers): Node's 5 s default lets a
   * proxy send a request on a connection the service is closing, which the caller sees as a 502 or
   * a connection reset.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(65_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** How long startup waits for PostgreSQL and Kafka to answer before exiting 69 (EX_UNAVAILABLE). */
  STARTUP_DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** How often the broker is pinged for /health/ready details and the broker_reachable metric. */
  BROKER_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** How long published outbox rows are kept before the relay deletes them (unpublished rows never are). */
  OUTBOX_RETENTION_HOURS: z.coerce.number().min(0.01).max(24 * 90).default(24),
});

export type ServiceBaseConfig = z.infer<typeof serviceBaseSchema>;

/**
 * Kafka brokers are required unless the in-process broker is chosen; TLS/SASL settings must be
 * complete and coherent (a half-configured security setting stops the service, it never falls
 * back to plaintext or anonymous access).
 */
export function requireBrokersForKafka<T extends KafkaSettings & { BROKER: string }>(config: T, ctx: z.RefinementCtx): void {
  const issue = (path: keyof KafkaSettings, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  if (config.BROKER === 'kafka' && config.KAFKA_BROKERS.length === 0) issue('KAFKA_BROKERS', 'KAFKA_BROKERS is required when BROKER=kafka');
  if (!config.KAFKA_SSL) {
    for (const name of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const) {
      if (config[name]) issue(name, `${name} is set but KAFKA_SSL is not true`);
    }
  }
  if (Boolean(config.KAFKA_SSL_CERT_FILE) !== Boolean(config.KAFKA_SSL_KEY_FILE)) issue('KAFKA_SSL_KEY_FILE', 'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together');
  if (config.KAFKA_SASL_MECHANISM) {
    if (!config.KAFKA_SSL) issue('KAFKA_SSL', 'KAFKA_SASL_MECHANISM requires KAFKA_SSL=true');
    if (!config.KAFKA_SASL_USERNAME) issue('KAFKA_SASL_USERNAME', 'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM');
    if (!config.KAFKA_SASL_PASSWORD) issue('KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM');
    else if (config.KAFKA_SASL_PASSWORD.length < 16) issue('KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD must be at least 16 characters');
  } else if (config.KAFKA_SASL_USERNAME || config.KAFKA_SASL_PASSWORD) {
    issue('KAFKA_SASL_MECHANISM', 'KAFKA_SASL_MECHANISM (scram-sha-256 or scram-sha-512) is required with KAFKA_SASL_USERNAME/PASSWORD');
  }
  const minInsync = config.KAFKA_MIN_INSYNC_REPLICAS;
  if (minInsync !== undefined && minInsync > config.KAFKA_REPLICATION_FACTOR) issue('KAFKA_MIN_INSYNC_REPLICAS', 'must not exceed KAFKA_REPLICATION_FACTOR');
}

type KafkaSettings = Pick<
  ServiceBaseConfig,
  | 'KAFKA_BROKERS'
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
  | 'KAFKA_REPLICATION_FACTOR'
  | 'KAFKA_MIN_INSYNC_REPLICAS'
>;

/** Topic settings from the configuration: partitions per topic, replication, min.insync.replicas. */
export function kafkaTopicSettings(config: KafkaSettings & Pick<ServiceBaseConfig, 'KAFKA_PARTITIONS' | 'KAFKA_TOPIC_PARTITIONS'>): {
  partitions: number;
  partitionsByTopic: Record<string, number>;
  replicationFactor: number;
  minInsyncReplicas: number;
} {
  const partitionsByTopic = Object.fromEntries(
    config.KAFKA_TOPIC_PARTITIONS.map((entry) => {
      const [topic, count] = entry.split('=');
      return [topic, Number(count)];
    }),
  );
  const replicationFactor = config.KAFKA_REPLICATION_FACTOR;
  return {
    partitions: config.KAFKA_PARTITIONS,
    partitionsByTopic,
    replicationFactor,
    minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS ?? (replicationFactor >= 3 ? 2 : 1),
  };
}
