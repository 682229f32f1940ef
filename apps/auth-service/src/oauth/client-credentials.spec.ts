import { OAuthError } from '../errors';
import { presentedClientCredentials } from './client-credentials';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as OAuthError).code;
  }
  return 'none';
};

describe('presentedClientCredentials', () => {
  it('reads client_secret_basic with url-encoded parts', () => {
    expect(presentedClientCredentials(basic('bank:a', 'p@ss:w'), {})).toEqual({ clientId: 'bank:a', clientSecret: 'p@ss:w', method: 'client_secret_basic' });
  });

  it('reads client_secret_post', () => {
    expect(presentedClientCredentials(undefined, { client_id: 'a', client_secret: 's' })).toEqual({ clientId: 'a', clientSecret: 's', method: 'client_secret_post' });
  });

  it('refuses two methods at once (invalid_request), none or malformed (invalid_client)', () => {
    expect(errorOf(() => presentedClientCredentials(basic('a', 's'), { client_secret: 's' }))).toBe('ERR_INVALID_REQUEST');
    expect(errorOf(() => presentedClientCredentials(undefined, {}))).toBe('ERR_INVALID_CLIENT');
    expect(errorOf(() => presentedClientCredentials('Basic !!!', {}))).toBe('ERR_INVALID_CLIENT');
    expect(errorOf(() => presentedClientCredentials(`Basic ${Buffer.from('a:%E0%A4%A').toString('base64')}`, {}))).toBe('ERR_INVALID_CLIENT');
    expect(errorOf(() => presentedClientCredentials(basic('a', 's'), { client_id: 'b' }))).toBe('ERR_INVALID_REQUEST');
  });
});
