import type { ArgumentsHost } from '@nestjs/common';
import { SourceIpNotAllowedError, TokenExpiredError } from '@npi/auth-guards';
import pino from 'pino';
import {
  AccessTokenRejectedError,
  DuplicateBatchError,
  GeneralError,
  InvalidAccountError,
  NotAuthorizedError,
  NotFoundError,
  RecordNotFoundError,
  ServiceUnavailableError,
  TokenSignatureInvalidError,
  ValidationFailedError,
} from '../domain/errors';
import type { NpiError } from '../domain/errors';
import { NpiErrorsFilter } from './npi-errors.filter';
import type { NpiResponseSigner } from './signing';

/** Signs a refusal as `sig(batchId,code)` so the test sees which refusals carry a token. */
const signer = { signRefusal: (batchId: string | undefined, code: string) => (batchId ? `sig(${batchId},${code})` : undefined) } as unknown as NpiResponseSigner;

function render(exception: unknown, path: string) {
  const answer: { status?: number; body?: unknown } = {};
  const response = {
    headersSent: false,
    locals: {},
    getHeader: () => 'corr-1',
    status(status: number) {
      answer.status = status;
      return this;
    },
    json(body: unknown) {
      answer.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ path }) }) } as unknown as ArgumentsHost;
  new NpiErrorsFilter(pino({ level: 'silent' }), signer).catch(exception, host);
  return answer;
}

describe('NpiErrorsFilter: the code-to-status table of the NPI APIs', () => {
  const cases: [NpiError, number, string][] = [
    [new TokenSignatureInvalidError('bad token', 'B1'), 400, 'E003'],
    [new InvalidAccountError('unknown bank', 'B1'), 400, 'E004'],
    [new ValidationFailedError('technical validation failed', 'B1', [{ field: 'batchCount', message: 'wrong' }]), 400, 'E007'],
    [new NotAuthorizedError('not authorized', 'B1'), 400, 'E007'],
    [new RecordNotFoundError('record not found', 'B1'), 400, 'E004'],
    [new DuplicateBatchError('duplicate batch', 'B1'), 400, '99'],
    [new AccessTokenRejectedError('no token', 'B1'), 401, 'E999'],
    [new ServiceUnavailableError('retry later', 'B1'), 503, 'E999'],
    [new GeneralError('general error', 'B1'), 500, 'E999'],
  ];

  it.each(cases)('%s answers %i with its code in the technical format, signed over the batchId', (error, status, code) => {
    expect(render(error, '/api/postcipsbatch')).toEqual({
      status,
      body: { responseCode: code, responseDescription: error.message, fieldErrors: error.fieldErrors, token: `sig(B1,${code})` },
    });
  });

  it('answers a refusal without a batchId without a token', () => {
    expect(render(new RecordNotFoundError('record not found'), '/api/getcipstxnbyinstructionid')).toEqual({
      status: 400,
      body: { responseCode: 'E004', responseDescription: 'record not found', fieldErrors: [] },
    });
  });

  it("answers the admin API's missing resource 404 in the admin shape", () => {
    expect(render(new NotFoundError('no such member'), '/admin/members/X/whitelist')).toEqual({
      status: 404,
      body: { error: { code: 'E004', message: 'no such member', fieldErrors: [] }, correlationId: 'corr-1' },
    });
  });

  it("answers the guards' refusals E001 403 (source address) and E999 401 (access token)", () => {
    expect(render(new SourceIpNotAllowedError(), '/api/getbanklist')).toEqual({
      status: 403,
      body: { responseCode: 'E001', responseDescription: 'source IP address is not allowed', fieldErrors: [] },
    });
    expect(render(new TokenExpiredError(), '/api/getbanklist')).toEqual({
      status: 401,
      body: { responseCode: 'E999', responseDescription: 'ERR_TOKEN_EXPIRED: the access token has expired', fieldErrors: [] },
    });
  });
});
