import { z } from 'zod';
import { defineEvent } from '../contract';
import { Topics } from '../topics';

/**
 * hcx-gateway replicas → each other: drop what you cache for this participant (secret rotated,
 * status changed). Carries no secret; `secretVersion` lets a replica ignore stale news.
 */
export const HcxParticipantUpdatedV1 = defineEvent(
  Topics.hcxParticipantUpdated,
  z
    .object({
      participantCode: z.string().min(1).max(128),
      change: z.enum(['created', 'updated', 'status_changed', 'secret_rotated']),
      status: z.enum(['Created', 'Active', 'Inactive', 'Blocked']),
      secretVersion: z.number().int().nonnegative(),
    })
    .strict(),
);
