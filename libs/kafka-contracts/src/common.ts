import { z } from 'zod';

/** Exact decimal amount as NCHL writes it (14,2): a string, never a float. */
export const amountString = z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, 'amount must be a decimal with at most 2 fraction digits');
export const isoTimestamp = z.string().datetime({ offset: true });
export const code = z.string().min(1).max(64);
