import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ArgumentsHost } from '@nestjs/common';
import { createPrismaClient } from '@npi/database';
import { ThrottlerException } from '@nestjs/throttler';
import { ManualClock } from '@npi/service-runtime';
import pino from 'pino';
import { HcxError } from './errors';
import { HcxErrorsFilter, protocolIdsOf } from './hcx-errors.filter';

const API_CALL_ID = '5e934f90-111d-4f0b-b016-c22d820674e1';
const CORRELATION_ID = '26b1060c-1e83-4600-9612-ea31e0ca5091';

function run(exception: unknown, body: unknown = {}, headersSet: Record<string, string> = {}) {
  const answer: { status?: number; body?: Record<string, unknown>; headers: Record<string, string> } = { headers: {} };
  const response = {
    headersSent: false,
    locals: {},
    getHeader: () => undefined,
    getHeaders: () => headersSet,
    setHeader: (name: string, value: string) => void (answer.headers[name] = value),
    status(status: number) {
      answer.status = status;
      return this;
    },
    json(json: Record<string, unknown>) {
      answer.body = json;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ body }) }) } as unknown as ArgumentsHost;
  new HcxErrorsFilter(pino({ level: 'silent' }), new ManualClock(new Date('2026-12-06T08:00:00Z'))).catch(exception, host);
  return answer;
}

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('HcxErrorsFilter (HCX ErrorResponse)', () => {
  it('renders a domain error with timestamp, the echoed ids and error{code,message,trace}', () => {
    const header = Buffer.from(JSON.stringify({ 'x-hcx-api_call_id': API_CALL_ID, 'x-hcx-correlation_id': CORRELATION_ID })).toString('base64url');
    const answer = run(new HcxError('ERR_INVALID_TIMESTAMP', 'too old'), { payload: `${header}.a.b.c.d` });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      timestamp: String(Date.parse('2026-12-06T08:00:00Z')),
      api_call_id: API_CALL_ID,
      correlation_id: CORRELATION_ID,
      error: { code: 'ERR_INVALID_TIMESTAMP', message: 'too old', trace: '' },
    });
  });

  it('echoes ids of a plain-JSON ProtocolResponse, and never echoes non-id values', () => {
    expect(protocolIdsOf({ 'x-hcx-api_call_id': API_CALL_ID, 'x-hcx-correlation_id': CORRELATION_ID })).toEqual({ api_call_id: API_CALL_ID, correlation_id: CORRELATION_ID });
    expect(protocolIdsOf({ 'x-hcx-api_call_id': '<script>', 'x-hcx-correlation_id': 7 })).toEqual({ api_call_id: '', correlation_id: '' });
    expect(protocolIdsOf({ payload: 'not-base64-json.x' })).toEqual({ api_call_id: '', correlation_id: '' });
    expect(protocolIdsOf(null)).toEqual({ api_call_id: '', correlation_id: '' });
  });

  it('answers 503 ERR_SERVICE_UNAVAILABLE when the database cannot be reached (real client error)', async () => {
    const prisma = createPrismaClient({ databaseUrl: `postgresql://u:p@127.0.0.1:${await closedPort()}/db`, poolSize: 1 });
    const error = await prisma.$queryRawUnsafe('SELECT 1').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    await prisma.$disconnect().catch(() => undefined);
    expect(error).toBeDefined();
    const answer = run(error);
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('5');
    expect(answer.body).toMatchObject({ error: { code: 'ERR_SERVICE_UNAVAILABLE' } });
  });

  it("answers a rate limit's refusal 429 ERR_RATE_LIMITED with Retry-After the longest wait of the rules", () => {
    const answer = run(new ThrottlerException(), {}, { 'retry-after-token-source': '12', 'retry-after-token-client': '41', 'x-ratelimit-limit-token-client': '6' });
    expect(answer.status).toBe(429);
    expect(answer.headers['Retry-After']).toBe('41');
    expect(answer.body).toEqual({ timestamp: '1796544000000', api_call_id: '', correlation_id: '', error: { code: 'ERR_RATE_LIMITED', message: 'too many token requests; retry later', trace: '' } });
  });

  it('answers 500 ERR_SERVICE_UNAVAILABLE without details for anything else', () => {
    const answer = run(new Error('secret detail'));
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('secret detail');
  });
});
