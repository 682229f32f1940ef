import { Module } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { BILLER_REPOSITORY, HOST_PARTICIPANT_REPOSITORY, PrismaBillerRepository, PrismaHostParticipantRepository } from '@npi/session/data-access';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { SessionServiceConfig } from '../config';
import { PageApiErrorsFilter } from '../page/page-api-errors.filter';
import { BillersAdminController } from './billers-admin.controller';
import { BillersRegistryService } from './billers-registry.service';
import { CachedBillerRepository, CachedHostParticipantRepository } from './registry-cache';

/**
 * The participant registry and the biller catalogue: the operators' admin API, and the registry
 * ports the launch and the page read, behind a read-through cache (SESSION_REGISTRY_CACHE_MS).
 */
@Module({
  controllers: [BillersAdminController],
  providers: [
    {
      provide: HOST_PARTICIPANT_REPOSITORY,
      inject: [PRISMA_CLIENT, CLOCK, SERVICE_CONFIG],
      useFactory: (prisma: PrismaClient, clock: Clock, config: SessionServiceConfig) =>
        new CachedHostParticipantRepository(new PrismaHostParticipantRepository(prisma), clock, config.SESSION_REGISTRY_CACHE_MS),
    },
    {
      provide: BILLER_REPOSITORY,
      inject: [PRISMA_CLIENT, CLOCK, SERVICE_CONFIG],
      useFactory: (prisma: PrismaClient, clock: Clock, config: SessionServiceConfig) =>
        new CachedBillerRepository(new PrismaBillerRepository(prisma), clock, config.SESSION_REGISTRY_CACHE_MS),
    },
    BillersRegistryService,
    PageApiErrorsFilter,
  ],
  exports: [BillersRegistryService, HOST_PARTICIPANT_REPOSITORY, BILLER_REPOSITORY],
})
export class BillersRegistryModule {}
