import { z } from 'zod';
import { ZodBodyPipe, createZodDto, describeIssues } from '@npi/api-contracts';
import { HcxError } from './errors';

/** HCX `ErrorResponse`: what HcxErrorsFilter answers for every error of the gateway. */
export class HcxErrorResponseDto extends createZodDto(
  z.object({
    timestamp: z.string().describe('Unix milliseconds, as a string'),
    api_call_id: z.string().describe('echo of x-hcx-api_call_id; empty when the request carried none'),
    correlation_id: z.string().describe('echo of x-hcx-correlation_id; empty when the request carried none'),
    error: z.object({ code: z.string().describe('e.g. ERR_INVALID_REQUEST, ERR_ACCESS_DENIED'), message: z.string(), trace: z.string() }),
  }),
) {}

/** HCX request bodies that break their shape: 400 ERR_INVALID_REQUEST naming the fields, never their values. */
export const hcxBody = new ZodBodyPipe((issues) => new HcxError('ERR_INVALID_REQUEST', describeIssues(issues)));

/**
 * The HCX protocol APIs' bodies (participant registry, notifications): 400 ERR_INVALID_REQUEST with
 * `field: why; field: why` (the whole body named `body`), the wording these APIs have always
 * answered. `optional`: a request without a body is read as `{}` (search and list take only
 * optional fields); otherwise it is one `body: Required`.
 */
export function hcxProtocolBody(options: { optional?: boolean } = {}): ZodBodyPipe {
  return new ZodBodyPipe(
    (issues) => new HcxError('ERR_INVALID_REQUEST', issues.map((issue) => `${issue.segments.join('.') || 'body'}: ${issue.message}`).join('; ')),
    { missingBodyAsEmptyObject: options.optional === true },
  );
}
