import { z } from 'zod';
import { defineEvent } from '../contract';
import { amountString, code } from '../common';
import { Topics } from '../topics';

const batchSummary = {
  memberCode: code,
  batchId: z.string().min(1).max(20),
  kind: z.enum(['CIPS', 'NCHLIPS', 'BILLPAY']),
  debtorAgent: z.string().max(16),
  batchAmount: amountString,
  transactionCount: z.number().int().positive().max(10_000),
};

/** A batch passed every check and its debit cap was reserved; settlement may credit it. */
export const PaymentsBatchAcceptedV1 = defineEvent(
  Topics.paymentsBatchAccepted,
  z.object({ ...batchSummary, settlementSessionId: z.string().max(64) }).strict(),
);

/** A batch was refused (nothing reserved) or rejected after acceptance (reservation released). */
export const PaymentsBatchRejectedV1 = defineEvent(
  Topics.paymentsBatchRejected,
  z.object({ ...batchSummary, responseCode: z.string().max(16), reason: z.string().max(256) }).strict(),
);

/** A transaction reached its final credit status (ISO 20022: ACSC settled, RJCT rejected). */
export const PaymentsTransactionSettledV1 = defineEvent(
  Topics.paymentsTransactionSettled,
  z
    .object({
      memberCode: code,
      batchId: z.string().min(1).max(20),
      instructionId: z.string().min(1).max(64),
      amount: amountString,
      creditStatus: z.enum(['ACTC', 'ACSP', 'ACSC', 'RJCT']),
    })
    .strict(),
);
