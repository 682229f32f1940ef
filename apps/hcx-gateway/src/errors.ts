/**
 * Domain errors with stable codes. HCX protocol codes follow the HCX error code list; the registry
 * and token endpoints reuse ERR_ACCESS_DENIED and add a few of their own. The HTTP status travels
 * with the error so the one filter (hcx-errors.filter.ts) maps it without a second table.
 */
export type HcxErrorCode =
  | 'ERR_ACCESS_DENIED'
  | 'ERR_INVALID_SENDER'
  | 'ERR_INVALID_RECIPIENT'
  | 'ERR_MANDATORY_HEADER_MISSING'
  | 'ERR_INVALID_API_CALL_ID'
  | 'ERR_INVALID_CORRELATION_ID'
  | 'ERR_INVALID_WORKFLOW_ID'
  | 'ERR_INVALID_TIMESTAMP'
  | 'ERR_INVALID_STATUS'
  | 'ERR_INVALID_DEBUG_FLAG'
  | 'ERR_INVALID_ERROR_DETAILS'
  | 'ERR_INVALID_REDIRECT_TO'
  | 'ERR_INVALID_PAYLOAD'
  | 'ERR_INVALID_ENCRYPTION'
  | 'ERR_RECIPIENT_NOT_AVAILABLE'
  | 'ERR_SERVICE_UNAVAILABLE'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_INVALID_CERTIFICATE'
  | 'ERR_PARTICIPANT_NOT_FOUND'
  | 'ERR_PARTICIPANT_EXISTS'
  | 'ERR_INVALID_SIGNATURE'
  | 'ERR_INVALID_TOPIC_CODE'
  | 'ERR_INVALID_SUBSCRIPTION_ID';

export class HcxError extends Error {
  constructor(
    readonly code: HcxErrorCode,
    message: string,
    readonly status = 400,
    /** Longer description for ErrorResponse.error.trace (never a stack trace or a secret). */
    readonly trace = '',
  ) {
    super(message);
    this.name = 'HcxError';
  }
}

export const accessDenied = (message = 'access denied', status = 401) => new HcxError('ERR_ACCESS_DENIED', message, status);
