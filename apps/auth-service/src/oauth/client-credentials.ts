import { invalidClient, invalidRequest } from '../errors';

export interface PresentedClientCredentials {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

/**
 * RFC 6749 section 2.3.1: `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))`, or
 * `client_id`/`client_secret` in the body. Using both at once is `invalid_request`; none is
 * `invalid_client` (401).
 */
export function presentedClientCredentials(authorization: string | undefined, body: Record<string, unknown>): PresentedClientCredentials {
  const inBody = body['client_secret'] !== undefined;
  if (authorization !== undefined && /^Basic /i.test(authorization)) {
    if (inBody) throw invalidRequest('client credentials must be sent by one method only');
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw invalidClient('malformed Basic credentials');
    let clientId: string;
    let clientSecret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw invalidClient('malformed Basic credentials');
    }
    if (!isWellFormedText(clientId) || !isWellFormedText(clientSecret)) throw invalidClient('malformed Basic credentials');
    if (typeof body['client_id'] === 'string' && body['client_id'] !== clientId) throw invalidRequest('client_id in the body differs from the Authorization header');
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (inBody) {
    const clientId = body['client_id'];
    const clientSecret = body['client_secret'];
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || clientId === '') throw invalidClient('client_id and client_secret are required');
    if (!isWellFormedText(clientId) || !isWellFormedText(clientSecret)) throw invalidRequest('client_id and client_secret must be text without NUL or unpaired surrogates');
    return { clientId, clientSecret, method: 'client_secret_post' };
  }
  throw invalidClient('client authentication is required');
}

// A NUL or an unpaired UTF-16 surrogate cannot be stored in PostgreSQL text or jsonb: such input is refused up front.
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const MALFORMED_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL can store: no NUL, no unpaired surrogate. */
export function isWellFormedText(value: string): boolean {
  return !MALFORMED_TEXT.test(value);
}

/**
 * RFC 6749 section 3.2 parameters must be text: a NUL or an unpaired surrogate (from a JSON body's
 * `\u0000` or `\ud800`) is `invalid_request`, before anything reaches the database or the audit trail.
 */
export function rejectMalformedParameters(body: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    if (!isWellFormedText(name) || values.some((item) => typeof item === 'string' && !isWellFormedText(item))) {
      throw invalidRequest(`parameter ${isWellFormedText(name) ? name : '(malformed)'} contains a NUL or an unpaired surrogate`);
    }
  }
}
