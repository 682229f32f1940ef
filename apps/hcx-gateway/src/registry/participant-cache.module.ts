import { Module } from '@nestjs/common';
import { HcxDataAccessModule, PARTICIPANT_REPOSITORY } from '@npi/hcx/data-access';
import type { ParticipantRepository } from '@npi/hcx/data-access';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { CryptoModule } from '../crypto/crypto.module';
import type { KeyEncryption } from '../crypto/key-encryption';
import { KEY_ENCRYPTION, PARTICIPANT_CACHE } from '../tokens';
import { ParticipantCache } from './participant-cache';
import { ParticipantChangeHandler } from './participant-change.handler';

/**
 * The replica's participant cache (API-key checks, routing, recipients) and the `@EventPattern`
 * handler that keeps it current from hcx.participant.updated.v1.
 */
@Module({
  imports: [HcxDataAccessModule, CryptoModule],
  controllers: [ParticipantChangeHandler],
  providers: [
    {
      provide: PARTICIPANT_CACHE,
      useFactory: (participants: ParticipantRepository, keys: KeyEncryption, clock: Clock, config: HcxGatewayConfig) =>
        new ParticipantCache(participants, keys, clock, config.HCX_PARTICIPANT_CACHE_TTL_MS),
      inject: [PARTICIPANT_REPOSITORY, KEY_ENCRYPTION, CLOCK, SERVICE_CONFIG],
    },
  ],
  exports: [PARTICIPANT_CACHE],
})
export class ParticipantCacheModule {}
