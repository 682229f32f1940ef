import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiPublic } from '@npi/api-contracts';
import { CLIENT_BASIC_AUTH } from '@npi/service-runtime';
import type { Request, Response } from 'express';
import { parseCidr, resolveClientIp } from '@npi/auth-guards';
import type { Cidr } from '@npi/auth-guards';
import { SERVICE_CONFIG, correlationIdOfRequest } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import type { KeyRing } from '../crypto/signing-keys';
import { OAuthErrorsFilter } from '../oauth-errors.filter';
import { KEY_RING } from '../tokens';
import { SUPPORTED_GRANT_TYPES, TokenService } from './token.service';
import type { IntrospectionResponse, TokenRequest, TokenResponse } from './token.service';

class TokenRequestDto {
  @ApiProperty({ enum: SUPPORTED_GRANT_TYPES }) grant_type!: string;
  @ApiPropertyOptional({ description: 'password grant: the member user' }) username?: string;
  @ApiPropertyOptional({ description: 'password grant' }) password?: string;
  @ApiPropertyOptional({ description: 'refresh_token grant' }) refresh_token?: string;
  @ApiPropertyOptional({ description: 'space-delimited; defaults to everything the client may have' }) scope?: string;
  @ApiPropertyOptional({ description: 'client_secret_post only' }) client_id?: string;
  @ApiPropertyOptional({ description: 'client_secret_post only' }) client_secret?: string;
}

class TokenResponseDto {
  @ApiProperty() access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
  @ApiProperty({ example: 300 }) expires_in!: number;
  @ApiProperty() refresh_token!: string;
  @ApiProperty({ example: 43200 }) refresh_expires_in!: number;
  @ApiProperty({ example: 'read write trust' }) scope!: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: "NCHL's sample field, always null" }) customerdetails!: string | null;
}

class OAuthErrorDto {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'access_denied', 'temporarily_unavailable'] })
  error!: string;
  @ApiProperty() error_description!: string;
  @ApiProperty({ description: 'stable code, see README' }) error_code!: string;
}

class TokenOperationDto {
  @ApiProperty() token!: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] }) token_type_hint?: string;
}

/** Thin HTTP edge of the token server: reads the request, calls TokenService, sets no-store. */
@ApiTags('oauth')
@ApiSecurity(CLIENT_BASIC_AUTH) // client_secret_basic; client_secret_post is accepted too (fields of the body)
@Controller()
@UseFilters(OAuthErrorsFilter)
export class OAuthController {
  private readonly trustedProxies: Cidr[];

  constructor(
    private readonly tokens: TokenService,
    @Inject(SERVICE_CONFIG) config: AuthServiceConfig,
  ) {
    this.trustedProxies = config.TRUSTED_PROXIES.map((proxy) => parseCidr(proxy));
  }

  private facts(request: Request): TokenRequest {
    return {
      authorization: request.headers.authorization,
      body: (request.body ?? {}) as Record<string, unknown>,
      sourceIp: resolveClientIp({ peerAddress: request.socket.remoteAddress, forwardedFor: request.headers['x-forwarded-for'], trustedProxies: this.trustedProxies }),
      correlationId: correlationIdOfRequest(request),
    };
  }

  @Post('oauth/token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token endpoint (RFC 6749): password and refresh_token grants, client_secret_basic' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiResponse({ status: 400, type: OAuthErrorDto })
  @ApiResponse({ status: 401, type: OAuthErrorDto, description: 'invalid_client' })
  @ApiResponse({ status: 403, type: OAuthErrorDto, description: 'source IP not allowed' })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: 'rate limited' })
  async token(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() _body: TokenRequestDto): Promise<TokenResponse> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    return this.tokens.token(this.facts(request));
  }

  @Post('oauth/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token revocation (RFC 7009); a refresh token revokes its whole family' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenOperationDto })
  @ApiResponse({ status: 200, description: 'revoked, or unknown to us (RFC 7009 section 2.2)' })
  async revoke(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() _body: TokenOperationDto): Promise<Record<string, never>> {
    response.setHeader('Cache-Control', 'no-store');
    await this.tokens.revoke(this.facts(request));
    return {};
  }

  @Post('oauth/introspect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token introspection (RFC 7662) for resource servers whose client has the `introspect` scope' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenOperationDto })
  async introspect(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() _body: TokenOperationDto): Promise<IntrospectionResponse> {
    response.setHeader('Cache-Control', 'no-store');
    return this.tokens.introspect(this.facts(request));
  }
}

@ApiTags('discovery')
@ApiPublic()
@Controller('.well-known')
export class WellKnownController {
  constructor(
    @Inject(KEY_RING) private readonly keys: KeyRing,
    @Inject(SERVICE_CONFIG) private readonly config: AuthServiceConfig,
  ) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'Public keys that verify access tokens (active key and those in their rotation overlap)' })
  jwks(@Res({ passthrough: true }) response: Response): KeyRing['jwks'] {
    response.setHeader('Cache-Control', 'public, max-age=300');
    return this.keys.jwks;
  }

  @Get('oauth-authorization-server')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  metadata(): Record<string, unknown> {
    const issuer = this.config.AUTH_ISSUER.replace(/\/$/, '');
    const authMethods = ['client_secret_basic', 'client_secret_post'];
    return {
      issuer: this.config.AUTH_ISSUER,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      grant_types_supported: [...SUPPORTED_GRANT_TYPES],
      // No authorization endpoint: only the password and refresh grants (seed 001 section 7.2).
      response_types_supported: [],
      token_endpoint_auth_methods_supported: authMethods,
      revocation_endpoint_auth_methods_supported: authMethods,
      introspection_endpoint_auth_methods_supported: authMethods,
      scopes_supported: [...new Set([...this.config.AUTH_DEFAULT_SCOPE.split(' '), 'admin', 'introspect'])],
      service_documentation: `${issuer}/docs`,
    };
  }
}
