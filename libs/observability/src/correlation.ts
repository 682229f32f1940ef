import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a caller's request/correlation id when it is safe to log; otherwise makes one. */
export function correlationIdOf(request: IncomingMessage): string {
  for (const name of [CORRELATION_HEADER, 'x-request-id']) {
    const value = request.headers[name];
    if (typeof value === 'string' && SAFE_ID.test(value)) return value;
  }
  return randomUUID();
}
