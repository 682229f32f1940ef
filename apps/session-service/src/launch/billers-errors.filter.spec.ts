import pino from 'pino';
import { BillersError } from '../errors';
import { fakeHttp } from '@npi/testing';

const fakeHost = (accept: 'json' | 'html') => fakeHttp({ accepts: () => accept }, { 'x-correlation-id': 'corr-1' });
import { BillersErrorsFilter, httpStatusOf } from './billers-errors.filter';

describe('BillersErrorsFilter', () => {
  const logger = pino({ level: 'silent' });

  it('maps NCHL codes to HTTP statuses', () => {
    expect(httpStatusOf('100')).toBe(500);
    expect(httpStatusOf('600')).toBe(410);
    expect(httpStatusOf('601')).toBe(409);
    expect(httpStatusOf('800')).toBe(401);
    expect(httpStatusOf('705')).toBe(400);
    expect(httpStatusOf('809')).toBe(400);
    expect(httpStatusOf('902')).toBe(400);
  });

  it('answers an unexpected failure (database down) with NCHL 100 and no details', () => {
    const { host, response } = fakeHost('json');
    new BillersErrorsFilter(logger).catch(new Error('connect ECONNREFUSED 127.0.0.1:5432'), host);
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({ error: { code: '100', message: 'Exception occurred on our end. Please contact us.' }, correlationId: 'corr-1' });
  });

  it('renders 100 as an HTML page that no origin may frame when the participant is unknown', () => {
    const { host, response } = fakeHost('html');
    new BillersErrorsFilter(logger).catch(new Error('boom'), host);
    expect(response.statusCode).toBe(500);
    expect(String(response.body)).toContain('data-error-code="100"');
    expect(String(response.body)).not.toContain('boom');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('renders a Billers error with the host origins of its participant', () => {
    const { host, response } = fakeHost('html');
    new BillersErrorsFilter(logger).catch(new BillersError('601', { hostOrigins: ['https://bank.example'], sessionId: 'bank_1', displayError: 'host_app' }), host);
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-security-policy']).toContain('frame-ancestors https://bank.example');
  });
});
