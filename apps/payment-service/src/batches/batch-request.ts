import { z } from 'zod';
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

export const realTimeRequestSchema = z
  .object({ cipsBatchDetail: batchDetail, cipsTransactionDetailList: z.array(transactionDetail).length(1, 'postcipsbatch takes exactly one transaction'), token: z.string().min(1) })
  .passthrough();

export const nonRealTimeRequestSchema = z
  .object({
    nchlIpsBatchDetail: batchDetail.extend({ categoryPurpose: text(4) }),
    nchlIpsTransactionDetailList: z.array(transactionDetail).min(1).max(10_000),
    token: z.string().min(1),
  })
  .passthrough();

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

/** Reads the batchId for the refusal's token even when the rest of the body is invalid. */
export function batchIdOf(body: unknown, batchKey: string): string | undefined {
  const batch = (body as Record<string, unknown> | null)?.[batchKey];
  const batchId = (batch as Record<string, unknown> | null | undefined)?.['batchId'];
  return typeof batchId === 'string' && batchId.length > 0 && batchId.length <= 20 ? batchId : undefined;
}

export function parseBatchRequest(kind: 'CIPS' | 'NCHLIPS', body: unknown): ParsedBatch {
  const batchKey = kind === 'CIPS' ? 'cipsBatchDetail' : 'nchlIpsBatchDetail';
  const listKey = kind === 'CIPS' ? 'cipsTransactionDetailList' : 'nchlIpsTransactionDetailList';
  const batchId = batchIdOf(body, batchKey);
  const parsed = (kind === 'CIPS' ? realTimeRequestSchema : nonRealTimeRequestSchema).safeParse(body);
  if (!parsed.success) {
    throw new ValidationFailedError('technical validation failed', batchId, parsed.error.issues.map(toFieldError));
  }
  const data = parsed.data as unknown as Record<string, unknown>;
  const batch = data[batchKey] as BatchDetailInput;
  const list = data[listKey] as TransactionDetailInput[];
  return toParsedBatch(batch, list, batchKey, listKey, data['token'] as string);
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

function toFieldError(issue: z.ZodIssue): FieldError {
  const field = issue.path.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : String(part)), '');
  return { field: field || '(body)', message: issue.message };
}
