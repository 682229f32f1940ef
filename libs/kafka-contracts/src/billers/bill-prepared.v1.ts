import { z } from 'zod';
import { defineEvent } from '../contract';
import { amountString, code } from '../common';
import { Topics } from '../topics';

/** session-service → payment-service: a live Billers session prepared this bill; only it may be confirmed. */
export const BillersBillPreparedV1 = defineEvent(
  Topics.billersBillPrepared,
  z
    .object({
      participantCode: code,
      sessionId: z.string().min(1).max(128),
      batchId: z.string().min(1).max(20),
      instructionId: z.string().min(1).max(64),
      endToEndId: z.string().max(64).optional(),
      transactionId: z.string().max(64).optional(),
      appId: z.string().max(64).optional(),
      refId: z.string().max(64).optional(),
      amount: amountString,
      currency: z.literal('NPR').default('NPR'),
      billerCode: code,
      creditorAgent: z.string().max(16).optional(),
      creditorBranch: z.string().max(16).optional(),
      creditorAccount: z.string().max(64).optional(),
      /** The session's expiry: a bill is confirmable only until then. */
      expiresAt: z.string().datetime({ offset: true }),
    })
    .strict(),
);
