import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { OperatorAuthModule } from '@npi/auth-guards';
import { RateLimitModule } from '@npi/service-runtime';
import type { ServiceDependencies } from '@npi/service-runtime';
import type { SessionServiceConfig } from './config';
import { BillersKeysModule } from './envelope/billers-keys.module';
import { SessionEventsModule } from './events/session-events.module';
import { launchRateLimits } from './launch/launch.controller';
import { LaunchModule } from './launch/launch.module';
import { BillerPageModule } from './page/biller-page.module';
import { BillersRegistryModule } from './registry/billers-registry.module';

/**
 * Wiring only: one module per capability. Platform providers (config, clock, logger, Prisma,
 * broker, outbox) are global (libs/service-runtime); so are the route guards configured here: the
 * launch's rate limits (counted in PostgreSQL) and the admin API's operator token.
 */
@Module({})
export class SessionServiceModule {
  static register(deps: ServiceDependencies<SessionServiceConfig>): DynamicModule {
    return {
      module: SessionServiceModule,
      imports: [
        // The launch is the hot path and every launch counts two rules: one batch of hits at a time
        // (fewer, larger statements; the counts are exactly those of two in flight).
        RateLimitModule.forRules('session', launchRateLimits(deps.config), { maxInFlight: 1 }),
        OperatorAuthModule.forRoot({ token: deps.config.SESSION_ADMIN_TOKEN }),
        LaunchModule,
        BillersKeysModule,
        BillerPageModule,
        BillersRegistryModule,
        SessionEventsModule,
      ],
    };
  }
}
