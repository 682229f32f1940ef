import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { SUPPORTED_GRANT_TYPES } from './oauth-token.service';

/**
 * Wire shapes of the OAuth endpoints, for the OpenAPI document. Their bodies are checked by
 * OAuthTokenService itself, not by a pipe: RFC 6749 client authentication comes first, and every refusal
 * must leave an audit event, which a refusal at the edge would not.
 */
export class TokenRequestDto extends createZodDto(
  z.object({
    grant_type: z.enum(SUPPORTED_GRANT_TYPES),
    username: z.string().optional().describe('password grant: the member user'),
    password: z.string().optional().describe('password grant'),
    refresh_token: z.string().optional().describe('refresh_token grant'),
    scope: z.string().optional().describe('space-delimited; defaults to everything the client may have'),
    client_id: z.string().optional().describe('client_secret_post only'),
    client_secret: z.string().optional().describe('client_secret_post only'),
  }),
) {}

export class TokenOperationDto extends createZodDto(
  z.object({
    token: z.string(),
    token_type_hint: z.enum(['access_token', 'refresh_token']).optional(),
    client_id: z.string().optional().describe('client_secret_post only'),
    client_secret: z.string().optional().describe('client_secret_post only'),
  }),
) {}

export class TokenResponseDto extends createZodDto(
  z.object({
    access_token: z.string().describe('RS256 JWT'),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string().describe('refresh grant: the presented token again for a `reusable` client, its successor for a `rotating` one'),
    refresh_expires_in: z.number().int().describe('seconds until the refresh token expires (a reusable token keeps its original expiry)'),
    scope: z.string(),
    customerdetails: z.null().describe("NCHL's sample field, always null"),
  }),
) {}

/** RFC 6749 section 5.2, plus the platform's stable code. */
export class OAuthErrorDto extends createZodDto(
  z.object({
    error: z.enum(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'access_denied', 'temporarily_unavailable', 'server_error']),
    error_description: z.string(),
    error_code: z.string().optional().describe('stable code, see the auth-service README'),
    correlation_id: z.string().optional().describe('on server_error only'),
  }),
) {}

export class RevocationResultDto extends createZodDto(z.object({}).strict().describe('empty: revoked, or unknown to us (RFC 7009 section 2.2)')) {}

export class IntrospectionDto extends createZodDto(
  z
    .object({
      active: z.boolean(),
      client_id: z.string().optional(),
      username: z.string().optional(),
      scope: z.string().optional(),
      token_type: z.string().optional(),
      exp: z.number().int().optional(),
      iat: z.number().int().optional(),
      sub: z.string().optional(),
      jti: z.string().optional(),
    })
    .passthrough(),
) {}

export class AuthorizationServerMetadataDto extends createZodDto(
  z
    .object({
      issuer: z.string(),
      token_endpoint: z.string(),
      jwks_uri: z.string(),
      revocation_endpoint: z.string(),
      introspection_endpoint: z.string(),
      grant_types_supported: z.array(z.string()),
      response_types_supported: z.array(z.string()),
      token_endpoint_auth_methods_supported: z.array(z.string()),
      scopes_supported: z.array(z.string()),
    })
    .passthrough(),
) {}

export const TOKEN_EXAMPLE = {
  access_token: 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImstMjAyNi0xMiJ9.eyJzdWIiOiJkZW1vLnVzZXIiLCJjbGllbnRfaWQiOiJkZW1vLWJhbmsifQ.c2lnbmF0dXJl',
  token_type: 'Bearer',
  expires_in: 300,
  refresh_token: 'q3Jm1b0m3kQ2lV9k2Zp8N7xR4tY6uW1aE5sD0fG9hJc',
  refresh_expires_in: 43200,
  scope: 'read write trust',
  customerdetails: null,
};

export const INTROSPECTION_EXAMPLE = { active: true, client_id: 'demo-bank', username: 'demo.user', scope: 'read write trust', token_type: 'Bearer', exp: 1796544300, iat: 1796544000, sub: 'demo.user', jti: '6f1c2c1e-0d9a-4a55-9d0e-2f1b8e0c7a11' };

export const METADATA_EXAMPLE = {
  issuer: 'http://127.0.0.1:3001',
  token_endpoint: 'http://127.0.0.1:3001/oauth/token',
  jwks_uri: 'http://127.0.0.1:3001/.well-known/jwks.json',
  revocation_endpoint: 'http://127.0.0.1:3001/oauth/revoke',
  introspection_endpoint: 'http://127.0.0.1:3001/oauth/introspect',
  grant_types_supported: ['password', 'refresh_token'],
  response_types_supported: [],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  scopes_supported: ['read', 'write', 'trust', 'admin', 'introspect'],
};
