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
    if (typeof body['client_id'] === 'string' && body['client_id'] !== clientId) throw invalidRequest('client_id in the body differs from the Authorization header');
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (inBody) {
    const clientId = body['client_id'];
    const clientSecret = body['client_secret'];
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || clientId === '') throw invalidClient('client_id and client_secret are required');
    return { clientId, clientSecret, method: 'client_secret_post' };
  }
  throw invalidClient('client authentication is required');
}
