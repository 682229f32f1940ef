import { Body, Controller, Get, HttpCode, Inject, Optional, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, JWK_SET_EXAMPLE, JwkSetDto, PlatformErrorDto } from '@npi/api-contracts';
import { CLIENT_BASIC_AUTH, RateLimitGuard } from '@npi/service-runtime';
import type { Request, Response } from 'express';
import { Public, parseCidr, resolveClientIp } from '@npi/auth-guards';
import type { Cidr } from '@npi/auth-guards';
import { SERVICE_CONFIG, SERVICE_METRICS, correlationIdOfRequest } from '@npi/service-runtime';
import type { ServiceMetrics } from '@npi/observability';
import type { AuthServiceConfig } from '../config';
import type { KeyRing } from '../crypto/signing-keys';
import { OAuthError } from '../errors';
import { OAuthErrorsFilter } from '../oauth-errors.filter';
import { KEY_RING } from '../tokens';
import {
  AuthorizationServerMetadataDto,
  INTROSPECTION_EXAMPLE,
  IntrospectionDto,
  METADATA_EXAMPLE,
  OAuthErrorDto,
  RevocationResultDto,
  TOKEN_EXAMPLE,
  TokenOperationDto,
  TokenRequestDto,
  TokenResponseDto,
} from './oauth.contracts';
import { OAuthTokenService, SUPPORTED_GRANT_TYPES, tokenMetricKind } from './oauth-token.service';
import type { IntrospectionResponse, TokenRequest, TokenResponse } from './oauth-token.service';

/** Thin HTTP edge of the token server: reads the request, calls OAuthTokenService, sets no-store. */
@ApiTags('oauth')
@ApiSecurity(CLIENT_BASIC_AUTH) // client_secret_basic; client_secret_post is accepted too (fields of the body)
@ApiErrorBody(OAuthErrorDto, { 400: 'invalid_request', 401: 'invalid_client', 500: 'server_error' })
@Public() // the client authenticates itself (client_secret_basic/post) in the token endpoint's own protocol
@Controller()
@UseFilters(OAuthErrorsFilter)
export class OAuthController {
  private readonly trustedProxies: Cidr[];

  constructor(
    private readonly tokens: OAuthTokenService,
    @Inject(SERVICE_CONFIG) config: AuthServiceConfig,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
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
  @UseGuards(RateLimitGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Token endpoint (RFC 6749): password and refresh_token grants, client_secret_basic' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiJsonResponse(200, TokenResponseDto, TOKEN_EXAMPLE)
  @ApiResponse({ status: 400, type: OAuthErrorDto })
  @ApiResponse({ status: 401, type: OAuthErrorDto, description: 'invalid_client' })
  @ApiResponse({ status: 403, type: OAuthErrorDto, description: 'source IP not allowed' })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: 'rate limited' })
  @ApiResponse({ status: 503, type: OAuthErrorDto, description: 'temporarily_unavailable (ERR_SERVICE_UNAVAILABLE): the database cannot be reached; retry after Retry-After' })
  async token(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() _body: TokenRequestDto): Promise<TokenResponse> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    const facts = this.facts(request);
    const kind = tokenMetricKind(facts.body);
    try {
      const answer = await this.tokens.token(facts);
      this.metrics?.tokensIssued.inc({ kind });
      return answer;
    } catch (error) {
      if (error instanceof OAuthError) this.metrics?.tokensRefused.inc({ kind, reason: error.code });
      throw error;
    }
  }

  @Post('oauth/revoke')
  @UseGuards(RateLimitGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Token revocation (RFC 7009); a refresh token revokes its whole family' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenOperationDto })
  @ApiJsonResponse(200, RevocationResultDto, {}, 'revoked, or unknown to us (RFC 7009 section 2.2)')
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: 'rate limited' })
  async revoke(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() _body: TokenOperationDto): Promise<Record<string, never>> {
    response.setHeader('Cache-Control', 'no-store');
    await this.tokens.revoke(this.facts(request));
    return {};
  }

  @Post('oauth/introspect')
  @UseGuards(RateLimitGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Token introspection (RFC 7662) for resource servers whose client has the `introspect` scope' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenOperationDto })
  @ApiJsonResponse(200, IntrospectionDto, INTROSPECTION_EXAMPLE, '{active: false} for a token that is not active')
  @ApiResponse({ status: 403, description: 'the client lacks the introspect scope' })
  @ApiResponse({ status: 429, type: OAuthErrorDto, description: 'rate limited' })
  async introspect(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() _body: TokenOperationDto): Promise<IntrospectionResponse> {
    response.setHeader('Cache-Control', 'no-store');
    return this.tokens.introspect(this.facts(request));
  }
}

@ApiTags('discovery')
@ApiPublic()
@ApiErrorBody(PlatformErrorDto, { 500: 'ERR_INTERNAL' })
@Public()
@Controller('.well-known')
export class WellKnownController {
  constructor(
    @Inject(KEY_RING) private readonly keys: KeyRing,
    @Inject(SERVICE_CONFIG) private readonly config: AuthServiceConfig,
  ) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'Public keys that verify access tokens (active key and those in their rotation overlap)' })
  @ApiJsonResponse(200, JwkSetDto, JWK_SET_EXAMPLE)
  jwks(@Res({ passthrough: true }) response: Response): KeyRing['jwks'] {
    response.setHeader('Cache-Control', 'public, max-age=300');
    return this.keys.jwks;
  }

  @Get('oauth-authorization-server')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  @ApiJsonResponse(200, AuthorizationServerMetadataDto, METADATA_EXAMPLE)
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
