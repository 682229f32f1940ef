import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import { AuthDataAccessModule } from '@npi/auth/data-access';
import { AuthGuardsModule } from '@npi/auth-guards';
import { RateLimitModule } from '@npi/service-runtime';
import type { ServiceDependencies } from '@npi/service-runtime';
import { AdminBootstrap } from './admin/admin-bootstrap';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import type { AuthServiceConfig } from './config';
import { PasswordHasher } from './crypto/password-hasher';
import { loadKeyRing } from './crypto/signing-keys';
import { AccessTokenIssuer } from './oauth/access-token-issuer';
import { ClientAuthenticator } from './oauth/client-authenticator';
import { OAuthController, WellKnownController } from './oauth/oauth.controller';
import { oauthRateLimits } from './oauth/rate-limits';
import { TokenService } from './oauth/token.service';
import { PreRoutingErrorsFilter } from './oauth-errors.filter';
import { KEY_RING, PASSWORD_HASHER } from './tokens';

/** Wiring only: feature modules of auth-service. Platform providers (config, clock, Prisma, broker) are global. */
@Module({})
export class AppModule {
  static register(deps: ServiceDependencies<AuthServiceConfig>): DynamicModule {
    const { config } = deps;
    const keys = loadKeyRing(config.AUTH_SIGNING_KEY_FILE, config.AUTH_PREVIOUS_SIGNING_KEY_FILES);
    return {
      module: AppModule,
      imports: [
        AuthDataAccessModule,
        RateLimitModule.forRules('auth', oauthRateLimits(config)),
        // The admin API is itself a resource server of this issuer (tokens with scope `admin`).
        AuthGuardsModule.forRoot({
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          jwks: keys.jwks,
          trustedProxies: config.TRUSTED_PROXIES,
        }),
      ],
      controllers: [OAuthController, WellKnownController, AdminController],
      providers: [
        { provide: KEY_RING, useValue: keys },
        { provide: PASSWORD_HASHER, useValue: new PasswordHasher({ memoryCostKib: config.AUTH_ARGON2_MEMORY_KIB, timeCost: config.AUTH_ARGON2_TIME_COST }) },
        AccessTokenIssuer,
        ClientAuthenticator,
        TokenService,
        AdminService,
        AdminBootstrap,
        { provide: APP_FILTER, useClass: PreRoutingErrorsFilter },
      ],
    };
  }
}
