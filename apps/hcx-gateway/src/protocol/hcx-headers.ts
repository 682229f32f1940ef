import { HcxError } from '../errors';
import type { ProtocolApi } from './apis';

/** The x-hcx-* protocol headers as validated (JWE protected header, read without decrypting). */
export interface HcxHeaders {
  senderCode: string;
  recipientCode: string;
  apiCallId: string;
  correlationId: string;
  workflowId?: string;
  timestamp: number;
  status?: string;
  debugFlag?: string;
  errorDetails?: { code: string; message: string; trace?: string };
  redirectTo?: string;
  /** JOSE alg/enc of the JWE (absent for a plain-JSON ProtocolResponse). */
  alg?: string;
  enc?: string;
}

const JWE_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARTICIPANT_CODE = /^[A-Za-z0-9._@:-]{1,128}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
// HCX status values: request.* for what the sender starts, response.* for on_* answers.
const REQUEST_STATUSES = ['request.initiated', 'request.queued', 'request.dispatched'];
const RESPONSE_STATUSES = ['response.complete', 'response.partial', 'response.error', 'response.redirect', 'response.fail', 'acknowledged'];
const DEBUG_FLAGS = ['Error', 'Info', 'Debug'];
const ALGORITHMS = ['RSA-OAEP', 'RSA-OAEP-256'];
const ENCRYPTIONS = ['A256GCM'];

/** Body `{"payload": "<JWE compact>"}` → its protected header (JSON), without decrypting anything. */
export function readProtectedHeader(body: unknown): { payload: string; header: Record<string, unknown> } {
  const payload = (body as { payload?: unknown } | null)?.payload;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof payload !== 'string') {
    throw new HcxError('ERR_INVALID_PAYLOAD', 'body must be {"payload": "<JWE compact serialisation>"}');
  }
  if (!JWE_COMPACT.test(payload)) throw new HcxError('ERR_INVALID_PAYLOAD', 'payload is not a JWE compact serialisation (5 base64url parts)');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(payload.slice(0, payload.indexOf('.')), 'base64url').toString('utf8'));
  } catch {
    throw new HcxError('ERR_INVALID_PAYLOAD', 'JWE protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new HcxError('ERR_INVALID_PAYLOAD', 'JWE protected header is not an object');
  return { payload, header: header as Record<string, unknown> };
}

/**
 * A plain-JSON ProtocolResponse (the `oneOf` alternative of on_* bodies): the x-hcx-* headers at the
 * top level, no `payload`. Only x-hcx-* keys are allowed; used for response.error and
 * response.redirect, which carry no domain payload.
 */
export function isProtocolResponse(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !('payload' in body) && Object.keys(body).some((key) => key.startsWith('x-hcx-'));
}

export function readProtocolResponse(body: Record<string, unknown>): Record<string, unknown> {
  const other = Object.keys(body).filter((key) => !key.startsWith('x-hcx-'));
  if (other.length > 0) throw new HcxError('ERR_INVALID_PAYLOAD', `a ProtocolResponse carries only x-hcx-* headers (not ${other.slice(0, 5).join(', ')})`);
  return body;
}

export interface TimestampPolicy {
  now: Date;
  maxAgeSeconds: number;
  maxFutureSeconds: number;
}

/** Validates every x-hcx-* header for `api` (order: presence, then format, then meaning). */
export function validateHcxHeaders(header: Record<string, unknown>, api: ProtocolApi, policy: TimestampPolicy, format: 'jwe' | 'protocol_response' = 'jwe'): HcxHeaders {
  const mandatory = ['x-hcx-sender_code', 'x-hcx-recipient_code', 'x-hcx-api_call_id', 'x-hcx-correlation_id', 'x-hcx-timestamp', ...(api.isCallback ? ['x-hcx-status'] : [])];
  const missing = mandatory.filter((name) => header[name] === undefined || header[name] === null || header[name] === '');
  if (missing.length > 0) throw new HcxError('ERR_MANDATORY_HEADER_MISSING', `mandatory headers missing: ${missing.join(', ')}`);

  const alg = header.alg;
  const enc = header.enc;
  if (format === 'jwe' && (typeof alg !== 'string' || !ALGORITHMS.includes(alg) || typeof enc !== 'string' || !ENCRYPTIONS.includes(enc))) {
    throw new HcxError('ERR_INVALID_ENCRYPTION', `JWE must use alg ${ALGORITHMS.join('|')} with enc ${ENCRYPTIONS.join('|')}`);
  }

  const senderCode = header['x-hcx-sender_code'];
  if (typeof senderCode !== 'string' || !PARTICIPANT_CODE.test(senderCode)) throw new HcxError('ERR_INVALID_SENDER', 'x-hcx-sender_code is not a participant code');
  const recipientCode = header['x-hcx-recipient_code'];
  if (typeof recipientCode !== 'string' || !PARTICIPANT_CODE.test(recipientCode)) throw new HcxError('ERR_INVALID_RECIPIENT', 'x-hcx-recipient_code is not a participant code');
  const apiCallId = header['x-hcx-api_call_id'];
  if (typeof apiCallId !== 'string' || !UUID.test(apiCallId)) throw new HcxError('ERR_INVALID_API_CALL_ID', 'x-hcx-api_call_id must be a UUID');
  const correlationId = header['x-hcx-correlation_id'];
  if (typeof correlationId !== 'string' || !UUID.test(correlationId)) throw new HcxError('ERR_INVALID_CORRELATION_ID', 'x-hcx-correlation_id must be a UUID');
  const workflowId = header['x-hcx-workflow_id'];
  if (workflowId !== undefined && (typeof workflowId !== 'string' || !UUID.test(workflowId))) throw new HcxError('ERR_INVALID_WORKFLOW_ID', 'x-hcx-workflow_id must be a UUID');

  const timestamp = parseTimestamp(header['x-hcx-timestamp']);
  const nowMs = policy.now.getTime();
  if (timestamp === undefined) throw new HcxError('ERR_INVALID_TIMESTAMP', 'x-hcx-timestamp must be Unix milliseconds or ISO 8601');
  if (timestamp < nowMs - policy.maxAgeSeconds * 1000) throw new HcxError('ERR_INVALID_TIMESTAMP', 'x-hcx-timestamp is too old');
  if (timestamp > nowMs + policy.maxFutureSeconds * 1000) throw new HcxError('ERR_INVALID_TIMESTAMP', 'x-hcx-timestamp is in the future');

  const status = header['x-hcx-status'];
  const allowedStatuses = api.isCallback ? RESPONSE_STATUSES : REQUEST_STATUSES;
  if (status !== undefined && (typeof status !== 'string' || !allowedStatuses.includes(status))) {
    throw new HcxError('ERR_INVALID_STATUS', `x-hcx-status must be one of ${allowedStatuses.join(', ')} for this API`);
  }
  const debugFlag = header['x-hcx-debug_flag'];
  if (debugFlag !== undefined && (typeof debugFlag !== 'string' || !DEBUG_FLAGS.includes(debugFlag))) {
    throw new HcxError('ERR_INVALID_DEBUG_FLAG', `x-hcx-debug_flag must be one of ${DEBUG_FLAGS.join(', ')}`);
  }
  const errorDetails = header['x-hcx-error_details'];
  if (errorDetails !== undefined) {
    const details = errorDetails as { code?: unknown; message?: unknown; trace?: unknown } | null;
    const shaped =
      typeof details === 'object' && details !== null && !Array.isArray(details) &&
      typeof details.code === 'string' && /^ERR_[A-Z_]{1,60}$/.test(details.code) &&
      typeof details.message === 'string' && details.message.length <= 1024 &&
      (details.trace === undefined || typeof details.trace === 'string');
    if (!shaped || status !== 'response.error') throw new HcxError('ERR_INVALID_ERROR_DETAILS', 'x-hcx-error_details must be {code: "ERR_...", message, trace?} and only with x-hcx-status response.error');
  }
  const redirectTo = header['x-hcx-redirect_to'];
  if (status === 'response.redirect' || redirectTo !== undefined) {
    if (status !== 'response.redirect' || typeof redirectTo !== 'string' || !PARTICIPANT_CODE.test(redirectTo) || redirectTo === senderCode) {
      throw new HcxError('ERR_INVALID_REDIRECT_TO', 'x-hcx-redirect_to must name another participant, and only with x-hcx-status response.redirect');
    }
  }
  return {
    senderCode,
    recipientCode,
    apiCallId,
    correlationId,
    workflowId: workflowId as string | undefined,
    timestamp,
    status: status as string | undefined,
    debugFlag: debugFlag as string | undefined,
    errorDetails: errorDetails as HcxHeaders['errorDetails'],
    redirectTo: redirectTo as string | undefined,
    alg: format === 'jwe' ? (alg as string) : undefined,
    enc: format === 'jwe' ? (enc as string) : undefined,
  };
}

/** Unix milliseconds (number or digit string) or ISO 8601 with an offset. */
export function parseTimestamp(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw > 0 ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  if (/^\d{10,16}$/.test(raw)) return Number(raw);
  if (!ISO_8601.test(raw)) return undefined;
  const parsed = Date.parse(raw);
  return Number.isNaN(parsed) ? undefined : parsed;
}
