import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HcxParticipantUpdatedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { PARTICIPANT_CACHE } from '../tokens';
import type { ParticipantCache } from './participant-cache';

/**
 * Every replica drops its cached copy of a participant on hcx.participant.updated.v1, so rotation,
 * blocking and deactivation reach all replicas. The group is per instance (each replica sees every
 * event) and reads the compacted topic from the beginning, so no update published after the
 * replica started can be missed. It does not gate readiness: the cache starts empty and loads from
 * the database, so an update the handler has not read yet only drops an entry that is already current.
 */
@Controller()
export class ParticipantChangeHandler {
  constructor(@Inject(PARTICIPANT_CACHE) private readonly cache: ParticipantCache) {}

  @EventPattern(HcxParticipantUpdatedV1.topic, { group: 'participant-cache', perInstance: true } satisfies BrokerEventHandlerOptions)
  async onParticipantUpdated(@Payload() data: EventData<typeof HcxParticipantUpdatedV1>): Promise<void> {
    this.cache.invalidate(data.participantCode);
  }
}
