import { z } from 'zod';
import { defineEvent } from '../contract';
import { Topics } from '../topics';

/**
 * auth-service → every resource service: a client's settings changed (source CIDRs, status).
 * Consumers replace what they cache for the client when `revision` is newer (idempotent by revision).
 * Never carries secrets.
 */
export const AuthClientUpdatedV1 = defineEvent(
  Topics.authClientUpdated,
  z
    .object({
      clientId: z.string().min(1).max(128),
      revision: z.number().int().nonnegative(),
      status: z.enum(['ACTIVE', 'DISABLED']),
      allowedCidrs: z.array(z.string().min(2).max(64)).max(256),
      memberCode: z.string().max(64).optional(),
      accessTokenTtlSeconds: z.number().int().positive().optional(),
      refreshTokenTtlSeconds: z.number().int().positive().optional(),
    })
    .strict(),
);
