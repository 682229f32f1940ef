import { z } from 'zod';
import { defineEvent } from '../contract';
import { amountString, code } from '../common';
import { Topics } from '../topics';

/** payment-service → session-service: outcome of a Billers confirm, so the session can complete. */
export const PaymentsBillpayCompletedV1 = defineEvent(
  Topics.paymentsBillpayCompleted,
  z
    .object({
      participantCode: code,
      sessionId: z.string().min(1).max(128),
      batchId: z.string().min(1).max(20),
      instructionId: z.string().min(1).max(64),
      amount: amountString,
      status: z.enum(['SUCCESS', 'FAILED']),
      responseCode: z.string().max(16),
    })
    .strict(),
);
