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
  /** `inprocess` only in standalone mode, where all services share one process. */
  BROKER: z.enum(['kafka', 'inprocess']).default('kafka'),
  KAFKA_BROKERS: commaList,
  KAFKA_CLIENT_ID: optionalString,
  /** Prefix of this service's consumer groups (default: the service name); tests isolate runs with it. */
  KAFKA_CONSUMER_GROUP_PREFIX: optionalString,
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (seed 001 section 7.1). */
  TRUSTED_PROXIES: commaList,
  HTTP_BODY_LIMIT: z.string().default('1mb'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

export type ServiceBaseConfig = z.infer<typeof serviceBaseSchema>;

/** Kafka brokers are required unless the in-process broker is chosen. */
export function requireBrokersForKafka<T extends { BROKER: string; KAFKA_BROKERS: string[] }>(config: T, ctx: z.RefinementCtx): void {
  if (config.BROKER === 'kafka' && config.KAFKA_BROKERS.length === 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['KAFKA_BROKERS'], message: 'KAFKA_BROKERS is required when BROKER=kafka' });
  }
}
