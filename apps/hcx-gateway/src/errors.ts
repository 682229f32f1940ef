/**
 * Domain errors with stable codes and no HTTP status: HcxErrorsFilter (hcx-errors.filter.ts) owns
 * the code-to-status table. HCX protocol codes follow the HCX error code list; the registry and
 * token endpoints reuse ERR_ACCESS_DENIED and add a few of their own. The last codes are the
 * gateway's own: refusals the HCX list names with a code it also uses at another status (the
 * filter answers them with that HCX code).
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
  | 'ERR_INVALID_SUBSCRIPTION_ID'
  /** An authenticated caller that may not do this (HCX: ERR_ACCESS_DENIED, 403). */
  | 'ERR_ACCESS_FORBIDDEN'
  /** A path naming nothing the gateway serves (HCX: ERR_INVALID_REQUEST, 404). */
  | 'ERR_UNKNOWN_RESOURCE'
  /** Signing-key rotation while the key comes from HCX_SIGNING_KEY_FILE (HCX: ERR_INVALID_REQUEST, 409). */
  | 'ERR_SIGNING_KEY_CONFIGURED';

export class HcxError extends Error {
  constructor(
    readonly code: HcxErrorCode,
    message: string,
    /** Longer description for ErrorResponse.error.trace (never a stack trace or a secret). */
    readonly trace = '',
  ) {
    super(message);
    this.name = 'HcxError';
  }
}

/** No credential, or one the gateway refuses. */
export const accessDenied = (message = 'access denied') => new HcxError('ERR_ACCESS_DENIED', message);

/** A valid credential that does not allow this. */
export const forbidden = (message: string) => new HcxError('ERR_ACCESS_FORBIDDEN', message);
