/** auth-service over HTTP (OAuth 2.0 token, revocation, introspection; client_secret_basic). */
import { CliError } from '../errors';
import { httpCall } from './http';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

const OAUTH_FIXES: Record<string, string> = {
  invalid_client: 'check --client-id and --client-secret (the demo values are in .data/demo/credentials.json under "auth-service")',
  invalid_grant: 'the username/password is wrong, or the refresh token was used, revoked or has expired: get a new one with `npi-partner oauth token`',
  invalid_request: 'a required parameter is missing or malformed; see `npi-partner oauth --help`',
  unsupported_grant_type: 'use the password or refresh_token grant',
  access_denied: "call from an address in the client's allowed CIDRs (the demo client allows 127.0.0.1)",
  unauthorized_client: 'this client is not allowed this operation (introspection needs a client with the introspect scope: pass its --client-id and --client-secret)',
  invalid_scope: 'ask only for scopes the client was registered with',
  temporarily_unavailable: 'wait and retry: the service is rate limiting or not ready',
};

export class AuthClient {
  constructor(private readonly baseUrl: string) {}

  private basic(client: OAuthClient): string {
    // RFC 6749 section 2.3.1: form-urlencode both parts before base64.
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
    return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
  }

  private async form<T>(path: string, client: OAuthClient, fields: Record<string, string>): Promise<T> {
    const answer = await httpCall<Record<string, unknown>>(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: this.basic(client) },
      body: new URLSearchParams(fields).toString(),
    });
    if (answer.status === 200) return answer.body as T;
    const code = typeof answer.body?.error === 'string' ? answer.body.error : `HTTP_${answer.status}`;
    const description = typeof answer.body?.error_description === 'string' ? answer.body.error_description : JSON.stringify(answer.body);
    throw new CliError(code, `auth-service ${path} answered ${answer.status}: ${description}`, OAUTH_FIXES[code] ?? 'see the auth-service README for this error', answer.body);
  }

  passwordGrant(client: OAuthClient, username: string, password: string, scope?: string): Promise<TokenResponse> {
    return this.form('/oauth/token', client, { grant_type: 'password', username, password, ...(scope ? { scope } : {}) });
  }

  refresh(client: OAuthClient, refreshToken: string): Promise<TokenResponse> {
    return this.form('/oauth/token', client, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  revoke(client: OAuthClient, token: string, hint?: string): Promise<Record<string, never>> {
    return this.form('/oauth/revoke', client, { token, ...(hint ? { token_type_hint: hint } : {}) });
  }

  introspect(client: OAuthClient, token: string, hint?: string): Promise<Record<string, unknown>> {
    return this.form('/oauth/introspect', client, { token, ...(hint ? { token_type_hint: hint } : {}) });
  }

  async metadata(): Promise<{ issuer: string; jwks_uri: string }> {
    const answer = await httpCall<{ issuer: string; jwks_uri: string }>(`${this.baseUrl}/.well-known/oauth-authorization-server`);
    if (answer.status !== 200) throw new CliError(`HTTP_${answer.status}`, 'auth-service metadata unavailable', 'check --auth-url');
    return answer.body;
  }
}
