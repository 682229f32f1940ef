import { databaseErrorKind } from './database-errors';

/** The shapes Prisma 7 with the node-postgres adapter throws (recorded from real failures). */
const prismaError = (code: string, cause: object) => Object.assign(new Error('Invalid `prisma...` invocation'), { name: 'PrismaClientKnownRequestError', code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('databaseErrorKind', () => {
  it('calls an unreachable or dropped server unavailable', () => {
    expect(databaseErrorKind(prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 }))).toBe('unavailable');
    expect(databaseErrorKind(prismaError('P2010', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 }))).toBe('unavailable');
    expect(databaseErrorKind(prismaError('P2010', { kind: 'postgres', code: '57P01', originalCode: '57P01' }))).toBe('unavailable');
    expect(databaseErrorKind(Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))).toBe('unavailable');
    expect(databaseErrorKind(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
  });
  it('calls no pooled connection in time unavailable (a consumer catching up retries it, an edge answers 503)', () => {
    expect(databaseErrorKind(Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), { name: 'PrismaClientKnownRequestError', code: 'P2028' }))).toBe('unavailable');
    expect(databaseErrorKind(new Error('Client has encountered a connection error and is not queryable'))).toBe('unavailable');
    expect(databaseErrorKind(Object.assign(new Error('Transaction API error: Transaction already closed'), { name: 'PrismaClientKnownRequestError', code: 'P2028' }))).toBeNull();
  });
  it("calls a value the server refused the caller's invalid input", () => {
    expect(databaseErrorKind(prismaError('P2010', { kind: 'postgres', code: '22021', originalCode: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }))).toBe('invalid-input');
    expect(databaseErrorKind(prismaError('P2010', { kind: 'postgres', code: '22001', originalCode: '22001' }))).toBe('invalid-input');
  });
  it('leaves everything else alone', () => {
    expect(databaseErrorKind(prismaError('P2021', { kind: 'TableDoesNotExist', originalCode: '42P01' }))).toBeNull();
    expect(databaseErrorKind(new Error('boom'))).toBeNull();
    expect(databaseErrorKind('text')).toBeNull();
  });
});
