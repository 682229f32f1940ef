import { Module } from '@nestjs/common';
import { BILLERS_SESSION_REPOSITORY, CHARGE_SLAB_REPOSITORY } from './ports';
import { PrismaBillersSessionRepository } from './prisma-billers-session.repository';
import { PrismaChargeSlabRepository } from './prisma-charge-slab.repository';

/**
 * Binds the session and charge-slab ports to their Prisma adapters (PRISMA_CLIENT is provided
 * globally by the runtime). The registry's two ports (HOST_PARTICIPANT_REPOSITORY,
 * BILLER_REPOSITORY) are bound by session-service's BillersRegistryModule, which puts its
 * read-through cache in front of PrismaHostParticipantRepository and PrismaBillerRepository.
 */
@Module({
  providers: [
    { provide: BILLERS_SESSION_REPOSITORY, useClass: PrismaBillersSessionRepository },
    { provide: CHARGE_SLAB_REPOSITORY, useClass: PrismaChargeSlabRepository },
  ],
  exports: [BILLERS_SESSION_REPOSITORY, CHARGE_SLAB_REPOSITORY],
})
export class SessionDataAccessModule {}
