import { X509Certificate } from 'node:crypto';
import { compactVerify } from 'jose';
import { HcxError } from '../errors';
import { parseTimestamp } from '../protocol/hcx-headers';

/** The notification headers of the HCX notification document (`x-hcx-notification_headers`). */
export interface NotificationHeaders {
  sender_code: string;
  timestamp: string | number;
  recipient_type?: 'participant_code' | 'participant_role' | 'subscription';
  recipients?: string[];
  correlation_id?: string;
  expiry?: string | number;
}

/** NotificationData: what the JWS payload carries (base64url JSON, signed, not encrypted). */
export interface NotificationData {
  topic_code: string;
  message: string | Record<string, unknown>;
}

export interface ParsedNotification {
  jws: string;
  header: Record<string, unknown>;
  headers: NotificationHeaders;
  data: NotificationData;
}

const RECIPIENT_TYPES = ['participant_code', 'participant_role', 'subscription'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeJson(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new HcxError('ERR_INVALID_PAYLOAD', `${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HcxError('ERR_INVALID_PAYLOAD', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Reads a notify body's JWS (compact, RS256) without trusting it yet: the protected header with
 * `x-hcx-notification_headers` and the NotificationData payload. The signature is checked by
 * `verifyNotificationSignature` against the sender's registered signing certificate.
 */
export function parseNotificationJws(jws: string, policy: { now: Date; maxAgeSeconds: number; maxFutureSeconds: number }): ParsedNotification {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)) || parts[0] === '' || parts[2] === '') {
    throw new HcxError('ERR_INVALID_PAYLOAD', 'payload must be a JWS in compact serialization (protected.payload.signature)');
  }
  const header = decodeJson(parts[0], 'JWS protected header');
  if (header.alg !== 'RS256') throw new HcxError('ERR_INVALID_SIGNATURE', 'JWS alg must be RS256');
  const raw = header['x-hcx-notification_headers'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HcxError('ERR_MANDATORY_HEADER_MISSING', 'x-hcx-notification_headers is missing');
  const headers = raw as Record<string, unknown>;
  if (typeof headers.sender_code !== 'string' || headers.sender_code === '') throw new HcxError('ERR_MANDATORY_HEADER_MISSING', 'x-hcx-notification_headers.sender_code is missing');
  if (headers.timestamp === undefined) throw new HcxError('ERR_MANDATORY_HEADER_MISSING', 'x-hcx-notification_headers.timestamp is missing');
  const timestamp = parseTimestamp(headers.timestamp);
  const nowMs = policy.now.getTime();
  if (timestamp === undefined) throw new HcxError('ERR_INVALID_TIMESTAMP', 'timestamp must be Unix milliseconds or ISO 8601');
  if (timestamp < nowMs - policy.maxAgeSeconds * 1000) throw new HcxError('ERR_INVALID_TIMESTAMP', 'timestamp is too old');
  if (timestamp > nowMs + policy.maxFutureSeconds * 1000) throw new HcxError('ERR_INVALID_TIMESTAMP', 'timestamp is in the future');
  if (headers.expiry !== undefined) {
    const expiry = parseTimestamp(headers.expiry);
    if (expiry === undefined) throw new HcxError('ERR_INVALID_TIMESTAMP', 'expiry must be Unix milliseconds or ISO 8601');
    if (expiry <= nowMs) throw new HcxError('ERR_INVALID_TIMESTAMP', 'the notification has expired');
  }
  if (headers.correlation_id !== undefined && (typeof headers.correlation_id !== 'string' || !UUID.test(headers.correlation_id))) {
    throw new HcxError('ERR_INVALID_CORRELATION_ID', 'correlation_id must be a UUID');
  }
  if (headers.recipient_type !== undefined && (typeof headers.recipient_type !== 'string' || !RECIPIENT_TYPES.includes(headers.recipient_type))) {
    throw new HcxError('ERR_INVALID_RECIPIENT', `recipient_type must be one of ${RECIPIENT_TYPES.join(', ')}`);
  }
  if (headers.recipients !== undefined) {
    const list = headers.recipients;
    if (!Array.isArray(list) || list.length === 0 || list.length > 1000 || list.some((item) => typeof item !== 'string' || item === '' || item.length > 256)) {
      throw new HcxError('ERR_INVALID_RECIPIENT', 'recipients must be a non-empty list of codes, roles or subscription ids');
    }
  }
  if ((headers.recipient_type === undefined) !== (headers.recipients === undefined)) {
    throw new HcxError('ERR_INVALID_RECIPIENT', 'recipient_type and recipients go together');
  }
  const payload = decodeJson(parts[1], 'JWS payload');
  if (typeof payload.topic_code !== 'string' || payload.topic_code === '') throw new HcxError('ERR_INVALID_PAYLOAD', 'payload.topic_code is missing');
  const message = payload.message;
  if (typeof message !== 'string' && (typeof message !== 'object' || message === null || Array.isArray(message))) {
    throw new HcxError('ERR_INVALID_PAYLOAD', 'payload.message must be a string or an object');
  }
  return { jws, header, headers: headers as unknown as NotificationHeaders, data: { topic_code: payload.topic_code, message: message as NotificationData['message'] } };
}

/** Checks the JWS signature with the public key of the sender's registered signing certificate. */
export async function verifyNotificationSignature(jws: string, signingCertPem: string): Promise<void> {
  let key: import('node:crypto').KeyObject;
  try {
    key = new X509Certificate(signingCertPem).publicKey;
  } catch {
    throw new HcxError('ERR_INVALID_SIGNATURE', 'the sender has no usable signing certificate');
  }
  try {
    await compactVerify(jws, key, { algorithms: ['RS256'] });
  } catch {
    throw new HcxError('ERR_INVALID_SIGNATURE', 'the JWS signature does not verify with the sender signing certificate');
  }
}

/**
 * The message of a topic template (`{"message": "... ${name} ..."}`) with its placeholders filled;
 * values are JSON-escaped so they cannot change the template's structure.
 */
export function messageFromTemplate(template: string, values: Record<string, string>): string {
  const filled = template.replace(/\$\{([a-z_]+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : JSON.stringify(values[name]).slice(1, -1)));
  try {
    const parsed = JSON.parse(filled) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // a template that is not JSON is the message itself
  }
  return filled;
}
