/**
 * Domain errors of session-service. `BillersError` carries NCHL's NPI Billers v2 code (integration
 * section 4.5); `PageApiError` and `RegistryError` carry this service's stable `ERR_*` codes for
 * the page's calls and the admin API. They carry no HTTP status: each protocol's filter owns its
 * code-to-status table (BillersErrorsFilter for NCHL's codes, PageApiErrorsFilter for the others).
 */
export const BILLERS_ERROR_MESSAGES = {
  '100': 'Exception occurred on our end. Please contact us.',
  '600': 'Session expired.',
  '601': 'Session already created. Please create new session_id.',
  '700': "Missing query param 'token'.",
  '701': "Missing query param 'channel'.",
  '704': "Missing query param 'os'.",
  '705': "Missing query param 'session_id'.",
  '706': "Missing query param 'participant_code'.",
  '707': "Missing query param 'landing_page'.",
  '708': "Missing query param 'biller_group'.",
  '709': "Missing query param 'biller_code'.",
  '800': "'token' validation failed.",
  '801': "Invalid query param 'channel'.",
  '802': "Invalid query param 'language'.",
  '803': "Invalid query param 'display_mode'.",
  '804': "Invalid query param 'os'.",
  '805': "Invalid 'session_id'. 'session_id' must be in <participant_code>_<uuid> format.",
  '806': "'participant_code' validation failed.",
  '807': "Invalid query param 'landing_page'.",
  '808': "'biller_group' validation failed.",
  '809': "'biller_code' validation failed.",
  '900': "'participant_code' mismatch between query param 'participant_code' and 'token' payload.",
  '901': "'session_id' mismatch between query param 'session_id' and 'token' payload.",
  '902': "'channel' mismatch between query param 'channel' and 'token' payload.",
} as const;

export type BillersErrorCode = keyof typeof BILLERS_ERROR_MESSAGES;

/** What the error page may do once the participant is known (post `error` to the host). */
export interface BillersErrorContext {
  sessionId?: string;
  hostOrigins?: readonly string[];
  displayError?: string;
  lang?: string;
  displayMode?: string;
}

export class BillersError extends Error {
  constructor(
    readonly code: BillersErrorCode,
    readonly context: BillersErrorContext = {},
    /** Internal reason for the log line (never shown): e.g. the jose-envelope code behind an 800. */
    readonly reason?: string,
  ) {
    super(BILLERS_ERROR_MESSAGES[code]);
    this.name = 'BillersError';
  }
}

export type PageApiErrorCode =
  | 'ERR_ORIGIN_NOT_ALLOWED'
  | 'ERR_PAGE_TOKEN_INVALID'
  | 'ERR_SESSION_NOT_FOUND'
  | 'ERR_SESSION_EXPIRED'
  | 'ERR_SESSION_NOT_ACTIVE'
  | 'ERR_BILLER_NOT_ALLOWED'
  | 'ERR_FORM_INVALID'
  | 'ERR_PARTICIPANT_KEY_MISSING';

export class PageApiError extends Error {
  constructor(
    readonly code: PageApiErrorCode,
    message: string,
    /** Field names that failed validation (ERR_FORM_INVALID). */
    readonly fields: readonly string[] = [],
  ) {
    super(message);
    this.name = 'PageApiError';
  }
}

export type RegistryErrorCode = 'ERR_UNAUTHORIZED' | 'ERR_VALIDATION' | 'ERR_KEY_INVALID' | 'ERR_KEY_TOO_SMALL' | 'ERR_NOT_FOUND';

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
