import { Module } from '@nestjs/common';
import { HcxDataAccessModule } from '@npi/hcx/data-access';
import { CryptoModule } from '../crypto/crypto.module';
import { PARTICIPANT_CACHE } from '../tokens';
import { ParticipantCache } from './participant-cache';
import { ParticipantChangeHandler } from './participant-change.handler';

/**
 * The replica's participant cache (API-key checks, routing, recipients) and the `@EventPattern`
 * handler that keeps it current from hcx.participant.updated.v1.
 */
@Module({
  imports: [HcxDataAccessModule, CryptoModule],
  controllers: [ParticipantChangeHandler],
  providers: [{ provide: PARTICIPANT_CACHE, useClass: ParticipantCache }],
  exports: [PARTICIPANT_CACHE],
})
export class ParticipantCacheModule {}
