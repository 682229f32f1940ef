import pino from 'pino';
import { PageApiError, RegistryError } from '../errors';
import type { PageApiErrorCode, RegistryErrorCode } from '../errors';
import { fakeHttp } from '@npi/testing';
import { PageApiErrorsFilter } from './page-api-errors.filter';

function answer(exception: unknown): { status: number; body: { error: { code: string; message: string; fields?: string[] }; correlationId: string } } {
  const { host, response } = fakeHttp({ accepts: () => 'json' }, { 'x-correlation-id': 'corr-1' });
  new PageApiErrorsFilter(pino({ level: 'silent' })).catch(exception, host);
  return { status: response.statusCode, body: response.body as never };
}

describe('PageApiErrorsFilter', () => {
  // README "Page API errors" and "Admin API errors".
  const pageApi: [PageApiErrorCode, number][] = [
    ['ERR_PAGE_TOKEN_INVALID', 401],
    ['ERR_ORIGIN_NOT_ALLOWED', 403],
    ['ERR_SESSION_NOT_FOUND', 404],
    ['ERR_SESSION_EXPIRED', 410],
    ['ERR_SESSION_NOT_ACTIVE', 409],
    ['ERR_BILLER_NOT_ALLOWED', 403],
    ['ERR_FORM_INVALID', 422],
    ['ERR_PARTICIPANT_KEY_MISSING', 409],
  ];
  const admin: [RegistryErrorCode, number][] = [
    ['ERR_UNAUTHORIZED', 401],
    ['ERR_VALIDATION', 400],
    ['ERR_KEY_INVALID', 400],
    ['ERR_KEY_TOO_SMALL', 400],
    ['ERR_NOT_FOUND', 404],
  ];

  it.each(pageApi)('answers the page API code %s with HTTP %i', (code, status) => {
    expect(answer(new PageApiError(code, 'refused'))).toEqual({ status, body: { error: { code, message: 'refused' }, correlationId: 'corr-1' } });
  });

  it.each(admin)('answers the admin API code %s with HTTP %i', (code, status) => {
    expect(answer(new RegistryError(code, 'refused'))).toEqual({ status, body: { error: { code, message: 'refused' }, correlationId: 'corr-1' } });
  });

  it('lists the bad fields of ERR_FORM_INVALID', () => {
    expect(answer(new PageApiError('ERR_FORM_INVALID', 'bad form', ['mobile'])).body.error).toEqual({ code: 'ERR_FORM_INVALID', message: 'bad form', fields: ['mobile'] });
  });

  it('answers anything unexpected with 500 ERR_INTERNAL and no details', () => {
    expect(answer(new Error('connection refused: db:5432'))).toEqual({ status: 500, body: { error: { code: 'ERR_INTERNAL', message: 'internal error' }, correlationId: 'corr-1' } });
  });
});
