/** `oauth token | refresh | revoke | introspect` against auth-service, as the demo member by default. */
import type { Command } from 'commander';
import { AuthClient } from '../clients/auth-client';
import type { OAuthClient } from '../clients/auth-client';
import type { CliContext } from '../context';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { CliError, usageError } from '../errors';
import { action } from './action';

interface ClientOptions {
  clientId?: string;
  clientSecret?: string;
}

export function oauthClientOf(ctx: CliContext, options: ClientOptions): OAuthClient {
  if (options.clientId && options.clientSecret) return { clientId: options.clientId, clientSecret: options.clientSecret };
  const demo = ctx.section('auth-service', '--client-id and --client-secret');
  return { clientId: options.clientId ?? demo.clientId, clientSecret: options.clientSecret ?? demo.clientSecret };
}

/** The NPI user of a password grant: the options, else the demo user. */
function userOf(ctx: CliContext, options: { username?: string; password?: string }): { username: string; password: string } {
  if (options.username && options.password) return { username: options.username, password: options.password };
  const demo = ctx.section('auth-service', '--username and --password');
  return { username: options.username ?? demo.username, password: options.password ?? demo.password };
}

/** An access token for the demo member (or the given user): what the NPI commands call with. */
export async function memberAccessToken(ctx: CliContext, options: ClientOptions & { username?: string; password?: string; accessToken?: string }): Promise<string> {
  if (options.accessToken) return options.accessToken;
  const { username, password } = userOf(ctx, options);
  const token = await new AuthClient(ctx.baseUrl('auth-service')).passwordGrant(oauthClientOf(ctx, options), username, password);
  return token.access_token;
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/** RFC 7662's shape from a local check: active when auth-service's key signed it and it has not expired. */
async function verifyLocally(auth: AuthClient, token: string): Promise<Record<string, unknown>> {
  const metadata = await auth.metadata();
  try {
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(metadata.jwks_uri)), { issuer: metadata.issuer, algorithms: ['ES256', 'RS256', 'PS256'] });
    return { active: true, source: 'jwks', token_type: 'Bearer', ...payload, username: payload.sub };
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? 'expired' : error instanceof joseErrors.JWTClaimValidationFailed ? `claim ${error.claim} invalid` : 'signature or format invalid';
    return { active: false, source: 'jwks', reason };
  }
}

const clientOptions = (command: Command) =>
  command.option('--client-id <id>', 'OAuth client id (default: the demo member)').option('--client-secret <secret>', 'OAuth client secret (default: the demo member)');

export function registerOauth(program: Command): void {
  const oauth = program.command('oauth').description("auth-service's OAuth 2.0 endpoints (password and refresh grants, revocation, introspection)");

  clientOptions(oauth.command('token'))
    .description('password grant: an access token and a refresh token')
    .option('--username <name>', 'NPI user (default: the demo user)')
    .option('--password <password>', 'its password (default: the demo password)')
    .option('--scope <scope>', 'scopes to ask for')
    .addHelpText('after', '\nExamples:\n  npx npi-partner oauth token\n  npx npi-partner oauth token --json | jq -r .refresh_token')
    .action(
      action(async (ctx, options: ClientOptions & { username?: string; password?: string; scope?: string }) => {
        const { username, password } = userOf(ctx, options);
        ctx.out.result(await new AuthClient(ctx.baseUrl('auth-service')).passwordGrant(oauthClientOf(ctx, options), username, password, options.scope));
      }),
    );

  clientOptions(oauth.command('refresh'))
    .description('refresh_token grant: a new access token (with the same refresh token for a reusable client, its successor for a rotating one)')
    .requiredOption('--refresh-token <token>', 'the refresh token')
    .addHelpText('after', '\nExample:\n  npx npi-partner oauth refresh --refresh-token "$REFRESH_TOKEN"')
    .action(
      action(async (ctx, options: ClientOptions & { refreshToken: string }) => {
        ctx.out.result(await new AuthClient(ctx.baseUrl('auth-service')).refresh(oauthClientOf(ctx, options), options.refreshToken));
      }),
    );

  clientOptions(oauth.command('revoke'))
    .description('revoke a token (RFC 7009); a refresh token revokes its whole family')
    .requiredOption('--token <token>', 'access or refresh token')
    .option('--hint <type>', 'access_token or refresh_token')
    .addHelpText('after', '\nExample:\n  npx npi-partner oauth revoke --token "$REFRESH_TOKEN" --hint refresh_token')
    .action(
      action(async (ctx, options: ClientOptions & { token: string; hint?: string }) => {
        if (options.hint && options.hint !== 'access_token' && options.hint !== 'refresh_token') throw usageError('--hint must be access_token or refresh_token', 'drop --hint or pass one of those two');
        await new AuthClient(ctx.baseUrl('auth-service')).revoke(oauthClientOf(ctx, options), options.token, options.hint);
        ctx.out.result({ revoked: true }, () => 'revoked (or unknown to auth-service, RFC 7009 section 2.2)');
      }),
    );

  clientOptions(oauth.command('introspect'))
    .description('is this token active, and for whom (RFC 7662; the calling client needs the introspect scope)')
    .requiredOption('--token <token>', 'access or refresh token')
    .option('--hint <type>', 'access_token or refresh_token')
    .addHelpText('after', '\nExample:\n  npx npi-partner oauth introspect --token "$ACCESS_TOKEN" --client-id <resource-server> --client-secret <secret>')
    .action(
      action(async (ctx, options: ClientOptions & { token: string; hint?: string }) => {
        const auth = new AuthClient(ctx.baseUrl('auth-service'));
        try {
          ctx.out.result(await auth.introspect(oauthClientOf(ctx, options), options.token, options.hint));
        } catch (error) {
          // A member's client has no introspect scope: an access token can still be checked here.
          if (!(error instanceof CliError) || error.code !== 'unauthorized_client' || !looksLikeJwt(options.token)) throw error;
          ctx.out.note('this client may not introspect: checked locally against the JWKS (signature, issuer, expiry; not revocation)');
          ctx.out.result(await verifyLocally(auth, options.token));
        }
      }),
    );
}
