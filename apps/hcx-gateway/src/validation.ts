import type { z } from 'zod';
import { HcxError } from './errors';
import type { HcxErrorCode } from './errors';

/** Parses an HTTP body/query with zod; failures are 400 with the given code, listing fields, never values. */
export function parseInput<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown, code: HcxErrorCode = 'ERR_INVALID_REQUEST'): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new HcxError(code, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}
