import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { ValidationFailedError } from '../domain/errors';
import type { FieldError } from '../domain/errors';
import { canonical } from '../domain/money';

/**
 * NCHL's request bodies (docs/npi-reference.md "Transaction APIs"; field lengths from NCHL's API
 * specification). Unknown NCHL fields (debtorIdType, addenda1, freeCode1, ...) pass through: a
 * member's existing client must work unchanged.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().max(max).nullish();
const amount = z.union([z.number(), z.string()]);

const batchDetail = z
  .object({
    batchId: text(20),
    batchAmount: amount,
    batchCount: z.coerce.number().int().min(1).max(10_000),
    batchCrncy: z.literal('NPR', { errorMap: () => ({ message: 'batchCrncy must be NPR' }) }),
    categoryPurpose: optionalText(4),
    debtorAgent: text(4),
    debtorBranch: text(4),
    debtorName: text(140),
    debtorAccount: text(20),
  })
  .passthrough();

const transactionDetail = z
  .object({
    instructionId: text(30),
    endToEndId: optionalText(30),
    amount,
    purpose: optionalText(4),
    creditorAgent: text(4),
    creditorBranch: text(4),
    creditorName: text(140),
    creditorAccount: text(20),
  })
  .passthrough();

const signatureToken = z.string().min(1).describe("the member's SHA256withRSA signature over NCHL's token string, base64");

export const realTimeRequestSchema = z
  .object({ cipsBatchDetail: batchDetail, cipsTransactionDetailList: z.array(transactionDetail).length(1, 'postcipsbatch takes exactly one transaction'), token: signatureToken })
  .passthrough()
  .describe('postcipsbatch: one real-time transaction');

export const nonRealTimeRequestSchema = z
  .object({
    nchlIpsBatchDetail: batchDetail.extend({ categoryPurpose: text(4) }),
    nchlIpsTransactionDetailList: z.array(transactionDetail).min(1).max(10_000),
    token: signatureToken,
  })
  .passthrough()
  .describe('postnchlipsbatch: 1 to 10,000 transactions, accepted or refused whole');

export class NchlRealTimeBatchDto extends createZodDto(realTimeRequestSchema) {}
export class NchlNonRealTimeBatchDto extends createZodDto(nonRealTimeRequestSchema) {}
/** A body as the member posted it (validated, not trimmed): NCHL's token string is signed over these values. */
export type NchlRealTimeBatchPosted = z.input<typeof realTimeRequestSchema>;
export type NchlNonRealTimeBatchPosted = z.input<typeof nonRealTimeRequestSchema>;

const batchExample = {
  batchId: 'KHA-198706', batchAmount: 1500, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG',
  debtorAgent: '2501', debtorBranch: '1', debtorName: 'Khalti', debtorAccount: '0010055573200018',
};
const transactionExample = {
  instructionId: 'KHA-198706-1', endToEndId: 'Payment', amount: 1500, purpose: 'PAYM',
  creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram Bahadur', creditorAccount: '001011160000374',
};
/** Request examples in NCHL's sample values (the token is a placeholder: it signs the member's own values). */
export const BATCH_REQUEST_EXAMPLES = {
  realTime: { cipsBatchDetail: batchExample, cipsTransactionDetailList: [transactionExample], token: 'base64 SHA256withRSA over the token string' },
  nonRealTime: { nchlIpsBatchDetail: { ...batchExample, categoryPurpose: 'CUST' }, nchlIpsTransactionDetailList: [transactionExample], token: 'base64 SHA256withRSA over the token string' },
};

export type BatchDetailInput = z.infer<typeof batchDetail>;
export type TransactionDetailInput = z.infer<typeof transactionDetail>;

/** A validated batch in the service's terms: canonical amounts, the member's own field names kept. */
export interface ParsedBatch {
  batchId: string;
  batchAmount: string;
  batchCount: number;
  currency: string;
  categoryPurpose: string | null;
  debtorAgent: string;
  debtorBranch: string;
  debtorName: string | null;
  debtorAccount: string;
  transactions: {
    instructionId: string;
    endToEndId: string | null;
    amount: string;
    purpose: string | null;
    creditorAgent: string;
    creditorBranch: string;
    creditorName: string | null;
    creditorAccount: string;
  }[];
  token: string;
}

export function toParsedBatch(batch: BatchDetailInput, list: readonly TransactionDetailInput[], batchKey: string, listKey: string, token: string): ParsedBatch {
  const errors: FieldError[] = [];
  const money = (value: unknown, field: string): string => {
    try {
      return canonical(value, field);
    } catch (error) {
      errors.push({ field, message: (error as Error).message });
      return '0.00';
    }
  };
  const result: ParsedBatch = {
    batchId: batch.batchId,
    batchAmount: money(batch.batchAmount, `${batchKey}.batchAmount`),
    batchCount: batch.batchCount,
    currency: batch.batchCrncy,
    categoryPurpose: batch.categoryPurpose ?? null,
    debtorAgent: batch.debtorAgent,
    debtorBranch: batch.debtorBranch,
    debtorName: batch.debtorName ?? null,
    debtorAccount: batch.debtorAccount,
    transactions: list.map((t, index) => ({
      instructionId: t.instructionId,
      endToEndId: t.endToEndId ?? null,
      amount: money(t.amount, `${listKey}[${index}].amount`),
      purpose: t.purpose ?? null,
      creditorAgent: t.creditorAgent,
      creditorBranch: t.creditorBranch,
      creditorName: t.creditorName ?? null,
      creditorAccount: t.creditorAccount,
    })),
    token,
  };
  if (errors.length > 0) throw new ValidationFailedError('technical validation failed', batch.batchId, errors);
  return result;
}
