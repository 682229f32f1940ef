import { Module } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { PrismaApiCallRepository } from './prisma-api-call.repository';
import { PrismaParticipantRepository } from './prisma-participant.repository';
import { PrismaSecretDeliveryRepository } from './prisma-secret-delivery.repository';
import { PrismaSigningKeyRepository } from './prisma-signing-key.repository';
import { API_CALL_REPOSITORY, PARTICIPANT_REPOSITORY, SECRET_DELIVERY_REPOSITORY, SIGNING_KEY_REPOSITORY } from './types';

/** Binds the hcx ports to their Prisma adapters (PRISMA_CLIENT is provided globally by the runtime). */
@Module({
  providers: [
    { provide: PARTICIPANT_REPOSITORY, useFactory: (prisma: PrismaClient) => new PrismaParticipantRepository(prisma), inject: [PRISMA_CLIENT] },
    { provide: API_CALL_REPOSITORY, useFactory: (prisma: PrismaClient) => new PrismaApiCallRepository(prisma), inject: [PRISMA_CLIENT] },
    { provide: SIGNING_KEY_REPOSITORY, useFactory: (prisma: PrismaClient) => new PrismaSigningKeyRepository(prisma), inject: [PRISMA_CLIENT] },
    { provide: SECRET_DELIVERY_REPOSITORY, useFactory: (prisma: PrismaClient) => new PrismaSecretDeliveryRepository(prisma), inject: [PRISMA_CLIENT] },
  ],
  exports: [PARTICIPANT_REPOSITORY, API_CALL_REPOSITORY, SIGNING_KEY_REPOSITORY, SECRET_DELIVERY_REPOSITORY],
})
export class HcxDataAccessModule {}
