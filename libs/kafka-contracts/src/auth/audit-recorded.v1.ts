import { z } from 'zod';
import { defineEvent } from '../contract';
import { Topics } from '../topics';

/** Security audit trail of the token endpoint and admin API. Never carries secrets or tokens. */
export const AuthAuditRecordedV1 = defineEvent(
  Topics.authAuditRecorded,
  z
    .object({
      action: z.string().min(1).max(64),
      outcome: z.enum(['success', 'failure']),
      clientId: z.string().max(128).optional(),
      username: z.string().max(128).optional(),
      sourceIp: z.string().max(64).optional(),
      error: z.string().max(64).optional(),
      detail: z.string().max(512).optional(),
    })
    .strict(),
);
