/**
 * payment-service's refusals, each with NCHL's response code (docs/npi-reference.md "Error shape") and a
 * stable kind. Domain code throws these; `NpiErrorsFilter` renders them and owns the HTTP status of
 * each kind (one response code can be answered with several statuses: E999 is 401, 500 or 503).
 */
export type NpiResponseCode = 'E001' | 'E003' | 'E004' | 'E007' | '99' | 'E999';

export type NpiErrorKind =
  | 'TOKEN_SIGNATURE_INVALID'
  | 'INVALID_ACCOUNT'
  | 'VALIDATION_FAILED'
  | 'NOT_AUTHORIZED'
  | 'RECORD_NOT_FOUND'
  | 'SERVICE_UNAVAILABLE'
  | 'DUPLICATE_BATCH'
  | 'ACCESS_TOKEN_REJECTED'
  | 'GENERAL'
  | 'ADMIN_NOT_FOUND';

export interface FieldError {
  field: string;
  message: string;
}

export abstract class NpiError extends Error {
  abstract readonly responseCode: NpiResponseCode;
  abstract readonly kind: NpiErrorKind;
  constructor(
    message: string,
    /** The request's batchId when it could be read: the answer's token is signed over it. */
    readonly batchId?: string,
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The base of one refusal: its response code and kind, fixed per class. */
function codedError<Code extends NpiResponseCode, Kind extends NpiErrorKind>(responseCode: Code, kind: Kind) {
  return class extends NpiError {
    readonly responseCode = responseCode;
    readonly kind = kind;
  };
}

/** E003: the body's `token` does not verify with a registered certificate of the member (section 7.4). */
export class TokenSignatureInvalidError extends codedError('E003', 'TOKEN_SIGNATURE_INVALID') {}

/** E004: an unknown bank, branch or account. */
export class InvalidAccountError extends codedError('E004', 'INVALID_ACCOUNT') {}

/** E007: technical validation failed (missing or malformed field, totals that do not add up). */
export class ValidationFailedError extends codedError('E007', 'VALIDATION_FAILED') {}

/**
 * E007 "not authorized" (NCHL's newer APIs answer a debtor account that is not whitelisted so):
 * a technical refusal like every E007 (NCHL's response-code handling).
 */
export class NotAuthorizedError extends codedError('E007', 'NOT_AUTHORIZED') {}

/** E004 on the NPI APIs for a record the member does not have (a report by instruction id). */
export class RecordNotFoundError extends codedError('E004', 'RECORD_NOT_FOUND') {}

/** E999 when the database cannot be reached (the caller may retry later). */
export class ServiceUnavailableError extends codedError('E999', 'SERVICE_UNAVAILABLE') {}

/** 99: this batchId was already used by the member (with a different request). */
export class DuplicateBatchError extends codedError('99', 'DUPLICATE_BATCH') {}

/** E999 for a missing, invalid, expired or revoked access token (NCHL section 5.1). */
export class AccessTokenRejectedError extends codedError('E999', 'ACCESS_TOKEN_REJECTED') {}

/** E999: anything else (never with internal details). */
export class GeneralError extends codedError('E999', 'GENERAL') {}

/** A resource of the admin API that does not exist (the admin API's own shape). */
export class NotFoundError extends codedError('E004', 'ADMIN_NOT_FOUND') {}
