import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { AuthDataAccessModule } from '@npi/auth/data-access';
import { RateLimitModule } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import { OAuthErrorsFilter } from '../oauth-errors.filter';
import { AccessTokenIssuer } from './access-token-issuer';
import { ClientAuthenticator } from './client-authenticator';
import { OAuthController, WellKnownController } from './oauth.controller';
import { OAuthTokenService } from './oauth-token.service';
import { oauthRateLimits } from './rate-limits';

/**
 * The token server: token, revoke and introspect endpoints (rate limited, `rate-limits.ts`), JWKS
 * and RFC 8414 metadata. KEY_RING and PASSWORD_HASHER come from AuthCryptoModule.
 */
@Module({})
export class OAuthModule {
  static register(config: Pick<AuthServiceConfig, 'AUTH_RATE_LIMIT_PER_MINUTE'>): DynamicModule {
    return {
      module: OAuthModule,
      imports: [AuthDataAccessModule, RateLimitModule.forRules('auth', oauthRateLimits(config))],
      controllers: [OAuthController, WellKnownController],
      providers: [AccessTokenIssuer, ClientAuthenticator, OAuthTokenService, OAuthErrorsFilter],
      exports: [OAuthTokenService],
    };
  }
}
