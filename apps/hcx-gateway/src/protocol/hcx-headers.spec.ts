import { randomUUID } from 'node:crypto';
import { HcxError } from '../errors';
import { protocolApiOf } from './apis';
import { parseTimestamp, readProtectedHeader, validateHcxHeaders } from './hcx-headers';

const now = new Date('2026-11-25T06:00:00Z');
const policy = { now, maxAgeSeconds: 600, maxFutureSeconds: 30 };
const check = protocolApiOf('/coverageeligibility/check')!;
const onCheck = protocolApiOf('/coverageeligibility/on_check')!;
const base = () => ({
  alg: 'RSA-OAEP-256',
  enc: 'A256GCM',
  'x-hcx-sender_code': 'provider@hcx',
  'x-hcx-recipient_code': 'payor@hcx',
  'x-hcx-api_call_id': randomUUID(),
  'x-hcx-correlation_id': randomUUID(),
  'x-hcx-timestamp': now.getTime(),
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as HcxError).code;
  }
  return 'none';
};

describe('x-hcx-* header validation', () => {
  it('accepts a complete request header set', () => {
    expect(validateHcxHeaders(base(), check, policy).senderCode).toBe('provider@hcx');
  });

  it.each([
    ['missing sender', { 'x-hcx-sender_code': undefined }, 'ERR_MANDATORY_HEADER_MISSING'],
    ['RSA1_5', { alg: 'RSA1_5' }, 'ERR_INVALID_ENCRYPTION'],
    ['bad sender code', { 'x-hcx-sender_code': 'a b' }, 'ERR_INVALID_SENDER'],
    ['bad recipient code', { 'x-hcx-recipient_code': 7 }, 'ERR_INVALID_RECIPIENT'],
    ['api_call_id not a UUID', { 'x-hcx-api_call_id': 'x' }, 'ERR_INVALID_API_CALL_ID'],
    ['correlation_id not a UUID', { 'x-hcx-correlation_id': 'x' }, 'ERR_INVALID_CORRELATION_ID'],
    ['workflow_id not a UUID', { 'x-hcx-workflow_id': 'x' }, 'ERR_INVALID_WORKFLOW_ID'],
    ['timestamp 11 minutes old', { 'x-hcx-timestamp': now.getTime() - 660_000 }, 'ERR_INVALID_TIMESTAMP'],
    ['timestamp 31 s ahead', { 'x-hcx-timestamp': now.getTime() + 31_000 }, 'ERR_INVALID_TIMESTAMP'],
    ['response status on a request', { 'x-hcx-status': 'response.complete' }, 'ERR_INVALID_STATUS'],
    ['unknown debug flag', { 'x-hcx-debug_flag': 'Loud' }, 'ERR_INVALID_DEBUG_FLAG'],
    ['error details on a request', { 'x-hcx-error_details': { code: 'ERR_X', message: 'm' } }, 'ERR_INVALID_ERROR_DETAILS'],
    ['redirect on a request', { 'x-hcx-redirect_to': 'other@hcx' }, 'ERR_INVALID_REDIRECT_TO'],
  ])('refuses %s', (_name, change, code) => {
    expect(codeOf(() => validateHcxHeaders({ ...base(), ...change }, check, policy))).toBe(code);
  });

  it('requires x-hcx-status on on_* callbacks and accepts response.redirect with redirect_to', () => {
    expect(codeOf(() => validateHcxHeaders(base(), onCheck, policy))).toBe('ERR_MANDATORY_HEADER_MISSING');
    expect(validateHcxHeaders({ ...base(), 'x-hcx-status': 'response.redirect', 'x-hcx-redirect_to': 'tpa@hcx' }, onCheck, policy).redirectTo).toBe('tpa@hcx');
    expect(validateHcxHeaders({ ...base(), 'x-hcx-status': 'response.error', 'x-hcx-error_details': { code: 'ERR_DOMAIN', message: 'm' } }, onCheck, policy).status).toBe('response.error');
  });

  it('parses Unix milliseconds and ISO 8601 timestamps only', () => {
    expect(parseTimestamp(1764050400000)).toBe(1764050400000);
    expect(parseTimestamp('1764050400000')).toBe(1764050400000);
    expect(parseTimestamp('2026-11-25T06:00:00Z')).toBe(now.getTime());
    expect(parseTimestamp('2026-11-25T11:45:00+05:45')).toBe(now.getTime());
    expect(parseTimestamp('25/11/2026')).toBeUndefined();
    expect(parseTimestamp(-1)).toBeUndefined();
  });

  it('reads the JWE protected header without decrypting, and refuses non-JWE bodies with ERR_INVALID_PAYLOAD', () => {
    const header = Buffer.from(JSON.stringify(base())).toString('base64url');
    expect(readProtectedHeader({ payload: `${header}.a.b.c.d` }).header['x-hcx-sender_code']).toBe('provider@hcx');
    for (const body of [null, [], { payload: 5 }, { payload: 'a.b.c' }, { payload: 'bm90IGpzb24.a.b.c.d' }]) {
      expect(codeOf(() => readProtectedHeader(body))).toBe('ERR_INVALID_PAYLOAD');
    }
  });
});
