import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { OperatorAuthModule } from '@npi/auth-guards';
import { RateLimitModule } from '@npi/service-runtime';
import type { ServiceDependencies } from '@npi/service-runtime';
import { BILLER_STORE, CHARGE_SLAB_STORE, PARTICIPANT_STORE, PrismaBillerStore, PrismaChargeSlabStore, PrismaParticipantStore, PrismaSessionStore, SESSION_STORE } from '@npi/session/data-access';
import { BILLERS_KEYS, loadBillersKeys } from './billers-keys';
import type { SessionServiceConfig } from './config';
import { BillpayCompletedHandler } from './events/billpay-completed.handler';
import { DirectoryChangedHandler } from './events/directory-changed.handler';
import { JoseLaunchTokenOpener, JoseNpiObjectSealer, LAUNCH_TOKEN_OPENER, NPI_OBJECT_SEALER } from './envelope/envelope';
import { BillersErrorsFilter } from './launch/billers-errors.filter';
import { BillersJwksController } from './launch/billers-jwks.controller';
import { LaunchController, launchRateLimits } from './launch/launch.controller';
import { MAX_TOKEN_LENGTH } from './launch/launch-params';
import { LaunchService } from './launch/launch.service';
import { PageApiErrorsFilter } from './page/page-api-errors.filter';
import { PageApiController } from './page/page-api.controller';
import { PageApiService } from './page/page-api.service';
import { pageTokensProvider } from './page/page-tokens.provider';
import { AdminController } from './registry/admin.controller';
import { CachedBillerStore, CachedParticipantStore } from './registry/registry-cache';
import { RegistryService } from './registry/registry.service';

/** Wiring only: feature modules of session-service. Platform providers (config, clock, Prisma, broker) are global. */
@Module({})
export class AppModule {
  static register(deps: ServiceDependencies<SessionServiceConfig>): DynamicModule {
    const keys = loadBillersKeys(deps.config);
    return {
      module: AppModule,
      imports: [RateLimitModule.forRules('session', launchRateLimits(deps.config)), OperatorAuthModule.forRoot({ token: deps.config.SESSION_ADMIN_TOKEN })],
      controllers: [LaunchController, BillersJwksController, PageApiController, AdminController, BillpayCompletedHandler, DirectoryChangedHandler],
      providers: [
        { provide: BILLERS_KEYS, useValue: keys },
        { provide: LAUNCH_TOKEN_OPENER, useValue: new JoseLaunchTokenOpener(keys, MAX_TOKEN_LENGTH) },
        { provide: NPI_OBJECT_SEALER, useValue: new JoseNpiObjectSealer(keys) },
        PrismaParticipantStore,
        PrismaBillerStore,
        {
          provide: PARTICIPANT_STORE,
          inject: [PrismaParticipantStore],
          useFactory: (store: PrismaParticipantStore) => new CachedParticipantStore(store, deps.clock, deps.config.SESSION_REGISTRY_CACHE_MS),
        },
        {
          provide: BILLER_STORE,
          inject: [PrismaBillerStore],
          useFactory: (store: PrismaBillerStore) => new CachedBillerStore(store, deps.clock, deps.config.SESSION_REGISTRY_CACHE_MS),
        },
        { provide: SESSION_STORE, useClass: PrismaSessionStore },
        { provide: CHARGE_SLAB_STORE, useClass: PrismaChargeSlabStore },
        pageTokensProvider,
        LaunchService,
        PageApiService,
        RegistryService,
        BillersErrorsFilter,
        PageApiErrorsFilter,
      ],
      exports: [RegistryService, PARTICIPANT_STORE, BILLER_STORE, SESSION_STORE],
    };
  }
}
