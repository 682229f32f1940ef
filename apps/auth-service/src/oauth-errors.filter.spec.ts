/**
 * The OAuth and admin filters own the code-to-status tables: each domain error's answer (status,
 * body, headers), and the throttler's refusal as RFC 6749 `temporarily_unavailable` with 429.
 */
import { ThrottlerException } from '@nestjs/throttler';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '@npi/observability';
import { AdminError, invalidClient, invalidGrant, invalidRequest, invalidScope, sourceIpNotAllowed, unauthorizedClient, unsupportedGrantType } from './errors';
import type { OAuthError } from './errors';
import { fakeHttp } from '@npi/testing';
import { AdminErrorsFilter, OAuthErrorsFilter } from './oauth-errors.filter';

const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;

describe('OAuthErrorsFilter', () => {
  const oauthCases: [OAuthError, number][] = [
    [invalidRequest('x'), 400],
    [invalidClient(), 401],
    [invalidGrant('x'), 400],
    [invalidGrant('x', 'ERR_USER_LOCKED'), 400],
    [unauthorizedClient('x'), 400],
    [unsupportedGrantType('x'), 400],
    [invalidScope('x'), 400],
    [sourceIpNotAllowed(), 403],
  ];
  it.each(oauthCases.map(([error, status]) => ({ code: error.code, error, status })))('$code answers $status with the RFC 6749 body and no-store', ({ error, status }) => {
    const http = fakeHttp({ path: '/oauth/token' });
    new OAuthErrorsFilter(logger).catch(error, http.host);
    const answer = http.answer();
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: error.error, error_description: error.description, error_code: error.code });
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['www-authenticate'] !== undefined).toBe(status === 401);
  });

  it('a throttler refusal is 429 temporarily_unavailable/ERR_RATE_LIMITED with Retry-After the longest rule wait, counted as a refused token request', () => {
    const refused = { inc: jest.fn() };
    const metrics = { tokensRefused: refused } as unknown as ServiceMetrics;
    const http = fakeHttp({ path: '/oauth/token', body: { grant_type: 'password' } }, { 'retry-after-oauth-source': '12', 'retry-after-oauth-client': '40' });
    new OAuthErrorsFilter(logger, metrics).catch(new ThrottlerException(), http.host);
    const answer = http.answer();
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({ error: 'temporarily_unavailable', error_description: 'too many token requests from this source address', error_code: 'ERR_RATE_LIMITED' });
    expect(answer.headers['retry-after']).toBe('40');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(refused.inc).toHaveBeenCalledWith({ kind: 'oauth.password', reason: 'ERR_RATE_LIMITED' });
  });

  it('a refusal by the per-client rule alone says so', () => {
    const http = fakeHttp({ path: '/oauth/introspect' }, { 'retry-after-oauth-client': '7' });
    new OAuthErrorsFilter(logger).catch(new ThrottlerException(), http.host);
    expect(http.answer()).toMatchObject({ status: 429, body: { error_description: 'too many token requests for this client' }, headers: { 'retry-after': '7' } });
  });
});

describe('AdminErrorsFilter', () => {
  const adminCases: [AdminError, number][] = [
    [new AdminError('ERR_VALIDATION', 'x'), 400],
    [new AdminError('ERR_CLIENT_NOT_FOUND', 'x'), 404],
    [new AdminError('ERR_USER_NOT_FOUND', 'x'), 404],
    [new AdminError('ERR_CLIENT_EXISTS', 'x'), 409],
    [new AdminError('ERR_USER_EXISTS', 'x'), 409],
  ];
  it.each(adminCases.map(([error, status]) => ({ code: error.code, error, status })))('$code answers $status with {error: {code, message}}', ({ error, status }) => {
    const http = fakeHttp({ path: '/admin/clients' });
    new AdminErrorsFilter(logger).catch(error, http.host);
    expect(http.answer()).toMatchObject({ status, body: { error: { code: error.code, message: 'x' } } });
  });
});
