import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import { AuthGuardsModule } from '@npi/auth-guards';
import type { ServiceDependencies } from '@npi/service-runtime';
import { AuthAdminModule } from './admin/auth-admin.module';
import type { AuthServiceConfig } from './config';
import { AuthCryptoModule } from './crypto/auth-crypto.module';
import { loadKeyRing } from './crypto/signing-keys';
import { OAuthModule } from './oauth/oauth.module';
import { PreRoutingErrorsFilter } from './oauth-errors.filter';

/**
 * Wiring only: one module per capability (OAuthModule, AuthAdminModule, AuthCryptoModule).
 * Platform providers (config, clock, logger, Prisma, broker, outbox) are global.
 */
@Module({})
export class AuthServiceModule {
  static register(deps: ServiceDependencies<AuthServiceConfig>): DynamicModule {
    const { config } = deps;
    const keys = loadKeyRing(config.AUTH_SIGNING_KEY_FILE, config.AUTH_PREVIOUS_SIGNING_KEY_FILES);
    return {
      module: AuthServiceModule,
      imports: [
        AuthCryptoModule.forRoot(keys, config),
        // The admin API is itself a resource server of this issuer (tokens with scope `admin`).
        AuthGuardsModule.forRoot({
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          jwks: keys.jwks,
          trustedProxies: config.TRUSTED_PROXIES,
        }),
        OAuthModule.register(config),
        AuthAdminModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: PreRoutingErrorsFilter }],
    };
  }
}
