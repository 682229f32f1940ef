/**
 * payment-service's refusals, each with NCHL's response code (docs/npi-reference.md "Error shape") and the
 * HTTP status it is answered with. Domain code throws these; `NpiErrorsFilter` renders them.
 */
export type NpiResponseCode = 'E001' | 'E003' | 'E004' | 'E007' | '99' | 'E999';

export interface FieldError {
  field: string;
  message: string;
}

export abstract class NpiError extends Error {
  abstract readonly responseCode: NpiResponseCode;
  abstract readonly httpStatus: 400 | 401 | 403 | 404 | 500 | 503;
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

/** E001: the source address is not in the member's allowlist (seed 001 section 7.1). */
export class SourceIpNotAllowedError extends NpiError {
  readonly responseCode = 'E001' as const;
  readonly httpStatus = 403 as const;
}

/** E003: the body's `token` does not verify with a registered certificate of the member (section 7.4). */
export class TokenSignatureInvalidError extends NpiError {
  readonly responseCode = 'E003' as const;
  readonly httpStatus = 400 as const;
}

/** E004: an unknown bank, branch or account. */
export class InvalidAccountError extends NpiError {
  readonly responseCode = 'E004' as const;
  readonly httpStatus = 400 as const;
}

/** E007: technical validation failed (missing or malformed field, totals that do not add up). */
export class ValidationFailedError extends NpiError {
  readonly responseCode = 'E007' as const;
  readonly httpStatus = 400 as const;
}

/**
 * E007 "not authorized" (NCHL's newer APIs answer a debtor account that is not whitelisted so):
 * a technical refusal, HTTP 400 like every E007 (NCHL's response-code handling).
 */
export class NotAuthorizedError extends NpiError {
  readonly responseCode = 'E007' as const;
  readonly httpStatus = 400 as const;
}

/** E004 on the NPI APIs for a record the member does not have (a report by instruction id): 400 like every E004. */
export class RecordNotFoundError extends NpiError {
  readonly responseCode = 'E004' as const;
  readonly httpStatus = 400 as const;
}

/** E999 when the database cannot be reached: 503 (retry later) instead of NCHL's 500, same body. */
export class ServiceUnavailableError extends NpiError {
  readonly responseCode = 'E999' as const;
  readonly httpStatus = 503 as const;
}

/** 99: this batchId was already used by the member (with a different request). */
export class DuplicateBatchError extends NpiError {
  readonly responseCode = '99' as const;
  readonly httpStatus = 400 as const;
}

/** E999 for a missing, invalid, expired or revoked access token (NCHL: HTTP 401). */
export class AccessTokenRejectedError extends NpiError {
  readonly responseCode = 'E999' as const;
  readonly httpStatus = 401 as const;
}

/** E999: anything else (never with internal details). */
export class GeneralError extends NpiError {
  readonly responseCode = 'E999' as const;
  readonly httpStatus = 500 as const;
}

/** A resource of the admin API that does not exist (the admin API's own shape, HTTP 404). */
export class NotFoundError extends NpiError {
  readonly responseCode = 'E004' as const;
  readonly httpStatus = 404 as const;
}
