import { z } from 'zod';
import { optionalString, port, requireBrokersForKafka, requiredString, secretString, serviceBaseSchema } from '@npi/config';

/**
 * session-service configuration, validated once at startup (README "Configuration"). The Billers
 * keys, the admin token and the cookie secret have no defaults: without them the service refuses to
 * start (standalone mode generates them, apps/session-service/src/standalone.ts).
 */
export const sessionConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3002),
    /** Public base URL of this service (its origin is the page's own origin). */
    SESSION_PUBLIC_URL: requiredString('SESSION_PUBLIC_URL').pipe(z.string().url()),
    /** NPI Billers' RSA key that signs the npiObject (PKCS#8 PEM text, or a file holding it). */
    BILLERS_SIGNING_KEY: optionalString,
    BILLERS_SIGNING_KEY_FILE: optionalString,
    BILLERS_SIGNING_KID: requiredString('BILLERS_SIGNING_KID'),
    /** NPI Billers' RSA key that decrypts participants' launch tokens; `_PREVIOUS` during a rotation. */
    BILLERS_ENCRYPTION_KEY: optionalString,
    BILLERS_ENCRYPTION_KEY_FILE: optionalString,
    BILLERS_ENCRYPTION_KID: requiredString('BILLERS_ENCRYPTION_KID'),
    BILLERS_ENCRYPTION_KEY_PREVIOUS_FILE: optionalString,
    /** The previous signing key's public key (PEM) and kid, published in the JWKS during a rotation. */
    BILLERS_SIGNING_PUBLIC_KEY_PREVIOUS_FILE: optionalString,
    BILLERS_SIGNING_KID_PREVIOUS: optionalString,
    BILLERS_ENCRYPTION_KID_PREVIOUS: optionalString,
    /** Bearer token of the registry admin API (compared in constant time). */
    SESSION_ADMIN_TOKEN: secretString('SESSION_ADMIN_TOKEN'),
    /** Secret from which the page-token signing and encryption keys are derived (HKDF). */
    SESSION_COOKIE_SECRET: secretString('SESSION_COOKIE_SECRET'),
    /** Seed 000 section 3.3: one hour. */
    SESSION_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    /** Registry read cache on the launch path; other replicas see admin changes within this bound (0: off). */
    SESSION_REGISTRY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /** GET /billers launches allowed per minute from one source address, and for one participant (all replicas together). */
    SESSION_LAUNCH_LIMIT_PER_SOURCE: z.coerce.number().int().min(1).default(120),
    SESSION_LAUNCH_LIMIT_PER_PARTICIPANT: z.coerce.number().int().min(1).default(6000),
    /** Secure + SameSite=None; Partitioned cookies. Default: on when NODE_ENV=production. */
    SESSION_COOKIE_SECURE: optionalString.pipe(z.enum(['true', 'false']).optional()),
  })
  .superRefine(requireBrokersForKafka)
  .superRefine((config, ctx) => {
    if (!config.BILLERS_SIGNING_KEY && !config.BILLERS_SIGNING_KEY_FILE) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BILLERS_SIGNING_KEY'], message: 'BILLERS_SIGNING_KEY or BILLERS_SIGNING_KEY_FILE is required' });
    }
    if (!config.BILLERS_ENCRYPTION_KEY && !config.BILLERS_ENCRYPTION_KEY_FILE) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BILLERS_ENCRYPTION_KEY'], message: 'BILLERS_ENCRYPTION_KEY or BILLERS_ENCRYPTION_KEY_FILE is required' });
    }
  });

export type SessionServiceConfig = z.infer<typeof sessionConfigSchema>;

export function cookieSecure(config: SessionServiceConfig): boolean {
  return config.SESSION_COOKIE_SECURE === undefined ? config.NODE_ENV === 'production' : config.SESSION_COOKIE_SECURE === 'true';
}
