import { ZodBodyPipe } from '@npi/api-contracts';
import type { ContractIssue } from '@npi/api-contracts';
import { ValidationFailedError } from '../domain/errors';

/**
 * How a request body that breaks its NCHL shape is answered: E007 "technical validation failed",
 * HTTP 400, one fieldError per failed rule, in NCHL's technical format (NpiErrorsFilter). A request
 * without a body is one `(body): Required`, as NCHL's APIs have always answered it.
 */
export const nchlBody = new ZodBodyPipe((issues) => new ValidationFailedError('technical validation failed', undefined, issues.map(dottedFieldError)), { missingBodyAsEmptyObject: false });

/**
 * The transaction APIs' bodies: the same E007, with list entries named as NCHL's field tables name
 * them (`cipsTransactionDetailList[0].amount`), and the refusal's body token signed over the
 * request's batchId when it can be read (`batchKey.batchId`, 1-20 characters).
 */
export function nchlBatchBody(batchKey: string): ZodBodyPipe {
  return new ZodBodyPipe(
    (issues, _source, value) => new ValidationFailedError('technical validation failed', batchIdOf(value, batchKey), issues.map(indexedFieldError)),
    { missingBodyAsEmptyObject: false },
  );
}

/** Reads the batchId for the refusal's token even when the rest of the body is invalid. */
export function batchIdOf(body: unknown, batchKey: string): string | undefined {
  const batch = (body as Record<string, unknown> | null | undefined)?.[batchKey];
  const batchId = (batch as Record<string, unknown> | null | undefined)?.['batchId'];
  return typeof batchId === 'string' && batchId.length > 0 && batchId.length <= 20 ? batchId : undefined;
}

function dottedFieldError(issue: ContractIssue): { field: string; message: string } {
  return { field: issue.segments.length > 0 ? issue.segments.join('.') : '(body)', message: issue.message };
}

function indexedFieldError(issue: ContractIssue): { field: string; message: string } {
  const field = issue.segments.reduce<string>((path, part) => (typeof part === 'number' ? `${path}[${part}]` : path ? `${path}.${part}` : String(part)), '');
  return { field: field || '(body)', message: issue.message };
}
