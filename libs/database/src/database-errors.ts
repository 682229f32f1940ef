/**
 * Recognises "the database cannot be reached" among whatever Prisma 7 (driver adapter), node-postgres
 * or the socket throw, so an edge filter can answer 503 (retry later) instead of 500.
 */
const UNREACHABLE_CODES = new Set([
  // socket level
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN',
  // PostgreSQL class 08 (connection exception) and 57P0x (server shutting down / cannot connect now)
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300',
  // Prisma: can't reach server, timeout, server closed the connection, pool timeout
  'P1001', 'P1002', 'P1017', 'P2024',
]);
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist']);
// "Unable to start a transaction in the given time" (P2028): no pooled connection within maxWait,
// the same as a pool timeout; "not queryable": a pooled client the server dropped.
const UNREACHABLE_MESSAGES = [
  /connection terminated/i, /timeout exceeded when trying to connect/i, /can't reach database server/i, /connect ECONNREFUSED/i, /Connection refused/i, /server closed the connection/i,
  /Unable to start a transaction in the given time/i, /encountered a connection error and is not queryable/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const value = current as { name?: unknown; code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: unknown; errors?: unknown };
    if (value.name === 'PrismaClientInitializationError') return true;
    if (typeof value.code === 'string' && UNREACHABLE_CODES.has(value.code)) return true;
    if (typeof value.kind === 'string' && UNREACHABLE_KINDS.has(value.kind)) return true;
    if (typeof value.message === 'string' && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(value.message as string))) return true;
    queue.push(value.cause);
    if (value.meta && typeof value.meta === 'object') queue.push(value.meta, (value.meta as { driverAdapterError?: unknown }).driverAdapterError);
    if (Array.isArray(value.errors)) queue.push(...value.errors);
  }
  return false;
}

/** SQLSTATE class 22 (data exception): invalid byte sequence (a NUL), string too long, invalid text representation, ... */
const INVALID_INPUT_SQLSTATE = /^22[0-9A-Z]{3}$/;

/**
 * What kind of database failure an error is, for the protocol edges: `unavailable` (see
 * `isDatabaseUnavailable`: answer 503) or `invalid-input` (PostgreSQL refused a value the caller
 * sent, e.g. a NUL byte in text: the caller's bad input, a 4xx, never a 500); null otherwise.
 */
export type DatabaseErrorKind = 'unavailable' | 'invalid-input';

export function databaseErrorKind(error: unknown): DatabaseErrorKind | null {
  if (isDatabaseUnavailable(error)) return 'unavailable';
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const value = current as { code?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown } } } };
    const adapter = value.meta?.driverAdapterError?.cause;
    const sqlState = String(adapter?.originalCode ?? adapter?.code ?? (typeof value.code === 'string' ? value.code : ''));
    if (INVALID_INPUT_SQLSTATE.test(sqlState)) return 'invalid-input';
    current = value.cause;
  }
  return null;
}
