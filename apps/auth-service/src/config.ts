import { z } from 'zod';
import { commaList, port, requireBrokersForKafka, requiredString, secretString, serviceBaseSchema } from '@npi/config';
import { isValidCidr } from '@npi/auth-guards';

const cidrList = (what: string) =>
  commaList.pipe(
    z
      .array(z.string().refine(isValidCidr, (value) => ({ message: `${what}: ${value} is not an IPv4/IPv6 CIDR` })))
      .min(1, `${what} is required (comma-separated CIDRs)`),
  );

/** auth-service configuration, validated once at startup (README "Configuration"). */
export const authConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3001),
    /** RFC 8414 issuer identifier; `iss` of every access token. */
    AUTH_ISSUER: requiredString('AUTH_ISSUER').pipe(z.string().url()),
    /** `aud` of access tokens: what resource services expect. */
    AUTH_AUDIENCE: z.string().min(1).default('npi'),
    /** PKCS#8 PEM private key (EC P-256 → ES256, RSA >= 2048 → PS256) that signs access tokens. */
    AUTH_SIGNING_KEY_FILE: requiredString('AUTH_SIGNING_KEY_FILE'),
    /** Earlier signing keys (PEM, private or public) still published in the JWKS during a rotation overlap. */
    AUTH_PREVIOUS_SIGNING_KEY_FILES: commaList,
    AUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
    AUTH_REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(43_200),
    /** Scopes a new client gets when the admin names none (NCHL's sample: "read write trust"). */
    AUTH_DEFAULT_SCOPE: z.string().min(1).default('read write trust'),
    /** argon2id memory in KiB and passes (p = 1); OWASP's minimum is m = 19 MiB, t = 2, so nothing weaker is accepted. */
    AUTH_ARGON2_MEMORY_KIB: z.coerce.number().int().min(19_456).max(4_194_304).default(19_456),
    AUTH_ARGON2_TIME_COST: z.coerce.number().int().min(2).max(20).default(2),
    /** Deprecated and without effect (passwords are argon2id; old scrypt hashes carry their own cost). */
    AUTH_SCRYPT_LOG_N: z.coerce.number().int().min(15).max(20).optional(),
    AUTH_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
    AUTH_LOCKOUT_BASE_SECONDS: z.coerce.number().int().min(1).default(30),
    AUTH_LOCKOUT_MAX_SECONDS: z.coerce.number().int().min(1).default(3_600),
    /** OAuth-endpoint requests per minute per source address and per client, counted across replicas (rate-limits.ts). */
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** The first admin (client + user with scope `admin`), created at start if absent. */
    AUTH_ADMIN_CLIENT_ID: requiredString('AUTH_ADMIN_CLIENT_ID'),
    AUTH_ADMIN_CLIENT_SECRET: secretString('AUTH_ADMIN_CLIENT_SECRET', 32),
    AUTH_ADMIN_USERNAME: requiredString('AUTH_ADMIN_USERNAME'),
    AUTH_ADMIN_PASSWORD: secretString('AUTH_ADMIN_PASSWORD', 16),
    AUTH_ADMIN_CIDRS: cidrList('AUTH_ADMIN_CIDRS'),
  })
  .superRefine(requireBrokersForKafka)
  .superRefine((config, ctx) => {
    for (const proxy of config.TRUSTED_PROXIES) {
      if (!isValidCidr(proxy)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['TRUSTED_PROXIES'], message: `${proxy} is not an address or CIDR` });
    }
  });

export type AuthServiceConfig = z.infer<typeof authConfigSchema>;
