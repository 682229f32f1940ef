import { z } from 'zod';
import { defineEvent } from '../contract';
import { Topics } from '../topics';

/**
 * auth-service → resource services: access tokens that must no longer be honoured, by `jti`, or
 * every token of a client/user issued before `revokedBefore` (refresh-token family reuse, disable).
 */
export const AuthTokenRevokedV1 = defineEvent(
  Topics.authTokenRevoked,
  z
    .object({
      reason: z.enum(['revoked', 'refresh_reuse', 'user_disabled', 'client_disabled', 'password_reset']),
      jtis: z.array(z.string().min(1).max(128)).max(1000).default([]),
      clientId: z.string().max(128).optional(),
      subject: z.string().max(128).optional(),
      familyId: z.string().max(128).optional(),
      /** Tokens for this client/subject issued at or before this instant are revoked. */
      revokedBefore: z.string().datetime({ offset: true }).optional(),
      /** Latest expiry among the revoked tokens: caches may forget the entry afterwards. */
      expiresAt: z.string().datetime({ offset: true }),
    })
    .strict(),
);
