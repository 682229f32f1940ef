import { z } from 'zod';
import { booleanFlag, commaList, optionalString, port, requireBrokersForKafka, requiredString, secretString, serviceBaseSchema } from '@npi/config';

/** payment-service configuration, validated once at startup (README "Configuration"). */
export const paymentConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3003),
    /**
     * A non-real-time batch may hold 10,000 transactions (NCHL): about 2 MB of JSON with short
     * fields, up to ~9 MB with every field at NCHL's maximum length and addenda; the platform's
     * 1 MB default would refuse such batches with 413.
     */
    HTTP_BODY_LIMIT: z.string().default('10mb'),
    /** auth-service's issuer (`iss`) and JWKS: access tokens are verified offline (seed 001 section 7.2). */
    AUTH_ISSUER: requiredString('AUTH_ISSUER'),
    AUTH_JWKS_URL: requiredString('AUTH_JWKS_URL').pipe(z.string().url()),
    AUTH_AUDIENCE: z.string().min(1).default('npi'),
    /** NPI's own signing PFX (base64) and its passphrase: every answer carries NPI's `token`. */
    NPI_SIGNING_PFX_BASE64: requiredString('NPI_SIGNING_PFX_BASE64'),
    NPI_SIGNING_PFX_PASSPHRASE: secretString('NPI_SIGNING_PFX_PASSPHRASE', 16),
    /** Bearer token of the operator's admin API (members, certificates, whitelist, caps). */
    PAYMENT_ADMIN_TOKEN: secretString('PAYMENT_ADMIN_TOKEN'),
    /** Settlement sessions: a business day in this zone, split at these local cut-offs (HH:MM). */
    SETTLEMENT_TIMEZONE: z.string().default('Asia/Kathmandu'),
    SETTLEMENT_SESSION_CUTOFFS: commaList.pipe(z.array(z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'cut-offs are HH:MM'))),
    /** The default settlement adapter (a Kafka consumer moving accepted transactions to ACSC); off to plug a bank connector. */
    SETTLEMENT_AUTO_CREDIT: booleanFlag(true),
    /** Write transactions one process runs at once (below DATABASE_POOL_SIZE). */
    PAYMENT_WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
    /** The NCHL directory file (banks, branches, charge slabs, auto-release limits) loaded into an empty directory at startup; unset: the shipped demo set. */
    PAYMENT_DIRECTORY_FILE: optionalString,
    /** The app whose charge slabs price fund transfers (`postcipsbatch`, `postnchlipsbatch`); NCHL's is MER-1-APP-3. */
    PAYMENT_FUND_TRANSFER_APP_ID: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'an NCHL app id').default('MER-1-APP-3'),
  })
  .superRefine(requireBrokersForKafka)
  .superRefine((config, ctx) => {
    try {
      new Intl.DateTimeFormat('en-CA', { timeZone: config.SETTLEMENT_TIMEZONE });
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['SETTLEMENT_TIMEZONE'], message: 'unknown IANA time zone' });
    }
  });

export type PaymentServiceConfig = z.infer<typeof paymentConfigSchema>;
