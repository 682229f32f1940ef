import { z } from 'zod';
import { booleanFlag, optionalString, port, requireBrokersForKafka, requiredString, secretString, serviceBaseSchema } from '@npi/config';

const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const millis = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** `kid:base64key,kid:base64key` — every key exactly 32 bytes (AES-256). */
const keks = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string({ required_error: 'HCX_KEKS is required (kid:base64-32-byte-key, comma separated)' })
    .transform((raw, ctx) => {
      const out: Record<string, string> = {};
      for (const entry of raw.split(',').map((item) => item.trim()).filter(Boolean)) {
        const at = entry.indexOf(':');
        const kid = entry.slice(0, at);
        const key = entry.slice(at + 1);
        if (at <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(kid) || Buffer.from(key, 'base64').length !== 32) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'each HCX_KEKS entry must be kid:base64 of exactly 32 bytes' });
          return z.NEVER;
        }
        out[kid] = key;
      }
      if (Object.keys(out).length === 0) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'HCX_KEKS holds no key' });
        return z.NEVER;
      }
      return out;
    }),
);

/** External identity providers trusted next to the built-in HS256 issuer (seed 002: "JWTs issued by other system identity providers"). */
const externalIssuer = z
  .object({
    issuer: z.string().min(1),
    jwksUrl: z.string().url(),
    algorithms: z.array(z.enum(['RS256', 'PS256', 'ES256', 'ES384'])).min(1).default(['RS256', 'ES256']),
    /** Claim that carries the participant code (default `sub`). */
    participantClaim: z.string().min(1).default('sub'),
    audience: z.string().min(1).optional(),
  })
  .strict();

const externalIssuers = z.preprocess((value) => {
  if (value === undefined || value === '') return [];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return 'invalid JSON';
  }
}, z.array(externalIssuer));

/** hcx-gateway configuration, validated once at startup (README "Configuration"). */
export const hcxConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3004),
    /** `iss` of API keys and `iss`/`sub` of the RS256 tokens sent to participants. */
    HCX_INSTANCE_ID: requiredString('HCX_INSTANCE_ID'),
    HCX_PUBLIC_URL: optionalString,
    HCX_KEKS: keks,
    HCX_ACTIVE_KEK_ID: requiredString('HCX_ACTIVE_KEK_ID'),
    /** Bearer token for registry writes; compared in constant time. */
    HCX_ADMIN_TOKEN: secretString('HCX_ADMIN_TOKEN', 32),
    HCX_API_KEY_TTL_SECONDS: seconds(3600),
    HCX_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    HCX_TIMESTAMP_MAX_AGE_SECONDS: seconds(600),
    HCX_TOKEN_RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).default(30),
    HCX_TOKEN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(120),
    HCX_TOKEN_RATE_WINDOW_SECONDS: seconds(60),
    HCX_PARTICIPANT_CACHE_TTL_MS: millis(60_000),
    HCX_EXTERNAL_ISSUERS: externalIssuers,
    /** PKCS#8 PEM of the HCX RS256 signing key; absent: generated at first start, stored encrypted under the KEK. */
    HCX_SIGNING_KEY_FILE: optionalString,
    HCX_SIGNING_KEY_ID: optionalString,
    HCX_DISPATCH_TOKEN_TTL_SECONDS: seconds(300),
    HCX_DISPATCH_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
    HCX_DISPATCH_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    HCX_DISPATCH_BACKOFF_MS: millis(500),
    HCX_DISPATCHER_ENABLED: booleanFlag(true),
    HCX_DISPATCHER_GROUP_ID: z.string().min(1).default('hcx-gateway.dispatcher'),
    /** A new dispatcher group starts at the oldest routed request (default) or only sees new ones. */
    HCX_DISPATCHER_FROM_BEGINNING: booleanFlag(true),
    /** How a new client_secret reaches the participant (seed 002: email, SMS or both); `file` for standalone. */
    HCX_SECRET_NOTIFIER: z.enum(['none', 'file', 'email', 'sms', 'email+sms']).default('none'),
    HCX_SECRET_DROP_DIR: optionalString,
    HCX_SMTP_URL: optionalString,
    HCX_SMTP_FROM: optionalString,
    /** Refuse to send mail without TLS (default: on in production). */
    HCX_SMTP_REQUIRE_TLS: z.preprocess((value) => (value === undefined || value === '' ? undefined : value === 'true' || value === '1'), z.boolean().optional()),
    HCX_SMS_WEBHOOK_URL: optionalString,
    HCX_SMS_WEBHOOK_TOKEN: optionalString,
    HCX_SECRET_DELIVERY_POLL_MS: z.coerce.number().int().min(50).default(2_000),
    HCX_SECRET_DELIVERY_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
    HCX_SECRET_DELIVERY_MAX_BACKOFF_MS: z.coerce.number().int().min(10).default(600_000),
    /** Certificate expiry notices: sent this many days before notAfter; checked every interval (0 = never, e.g. tests). */
    HCX_CERT_EXPIRY_LEAD_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    HCX_CERT_EXPIRY_CHECK_INTERVAL_MS: millis(3_600_000),
  })
  .superRefine(requireBrokersForKafka)
  .superRefine((config, ctx) => {
    if (!(config.HCX_ACTIVE_KEK_ID in config.HCX_KEKS)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HCX_ACTIVE_KEK_ID'], message: 'HCX_ACTIVE_KEK_ID must name a key in HCX_KEKS' });
    }
    if (config.HCX_SECRET_NOTIFIER === 'file' && !config.HCX_SECRET_DROP_DIR) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HCX_SECRET_DROP_DIR'], message: 'HCX_SECRET_DROP_DIR is required when HCX_SECRET_NOTIFIER=file' });
    }
    const channels = config.HCX_SECRET_NOTIFIER.split('+');
    if (channels.includes('email')) {
      if (!config.HCX_SMTP_URL || !/^smtps?:\/\//.test(config.HCX_SMTP_URL)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HCX_SMTP_URL'], message: 'HCX_SMTP_URL (smtp:// or smtps://) is required when HCX_SECRET_NOTIFIER sends email' });
      if (!config.HCX_SMTP_FROM) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HCX_SMTP_FROM'], message: 'HCX_SMTP_FROM is required when HCX_SECRET_NOTIFIER sends email' });
    }
    if (channels.includes('sms')) {
      if (!config.HCX_SMS_WEBHOOK_URL || !/^https?:\/\//.test(config.HCX_SMS_WEBHOOK_URL)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HCX_SMS_WEBHOOK_URL'], message: 'HCX_SMS_WEBHOOK_URL is required when HCX_SECRET_NOTIFIER sends SMS' });
      if (!config.HCX_SMS_WEBHOOK_TOKEN || config.HCX_SMS_WEBHOOK_TOKEN.length < 16) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HCX_SMS_WEBHOOK_TOKEN'], message: 'HCX_SMS_WEBHOOK_TOKEN (>= 16 characters) is required when HCX_SECRET_NOTIFIER sends SMS' });
    }
    // Secrets are never answered by the API: in production they must have a way out.
    if (config.NODE_ENV === 'production' && !channels.some((channel) => channel === 'email' || channel === 'sms')) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['HCX_SECRET_NOTIFIER'], message: 'HCX_SECRET_NOTIFIER must be email, sms or email+sms in production' });
    }
  });

export type HcxGatewayConfig = z.infer<typeof hcxConfigSchema>;
export type ExternalIssuerConfig = z.infer<typeof externalIssuer>;
