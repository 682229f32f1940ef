import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { HcxParticipantUpdatedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import { BrokerContext } from '@npi/messaging';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { NOTIFICATION_PARTICIPANTS } from '../tokens';
import { NotificationService } from './notification.service';
import type { NotificationParticipants } from './notification.service';

type ParticipantUpdated = EventData<typeof HcxParticipantUpdatedV1>;

/** The registry's status names as the HCX documents spell them. */
const HCX_STATUS: Record<ParticipantUpdated['status'], string> = { Created: 'Created', Active: 'Active', Inactive: 'InActive', Blocked: 'Blocked' };

/**
 * The gateway's own notifications from registry changes (hcx.participant.updated.v1, written by the
 * registry in the transaction of the change): a status change goes to the subscribers of the
 * participant-status topic, a secret rotation to the participant itself when it subscribed. One
 * consumer group for all replicas, starting at the end of the topic (a new deployment does not
 * replay old changes to subscribers); a redelivered event fans out once because the notification's
 * correlation id is derived from the event id.
 */
@Controller()
export class ParticipantNotificationsHandler {
  constructor(
    @Inject(NotificationService) private readonly notifications: NotificationService,
    @Inject(NOTIFICATION_PARTICIPANTS) private readonly participants: NotificationParticipants,
    @Inject(SERVICE_CONFIG) private readonly config: HcxGatewayConfig,
  ) {}

  @EventPattern(HcxParticipantUpdatedV1.topic, { group: 'notifications.participant-updated', fromBeginning: false } satisfies BrokerEventHandlerOptions)
  async onParticipantUpdated(@Payload() data: ParticipantUpdated, @Ctx() context: BrokerContext): Promise<void> {
    if (data.change !== 'status_changed' && data.change !== 'secret_rotated') return;
    const participant = await this.participants.find(data.participantCode);
    if (!participant) return;
    const triggerId = context.getMessageId();
    if (data.change === 'status_changed') {
      await this.notifications.notifyFromGateway('notif-participant-status-change', {
        triggerId,
        values: { participant_name: participant.name, participant_code: participant.participantCode, status: HCX_STATUS[data.status] },
      });
      return;
    }
    await this.notifications.notifyFromGateway('notif-secret-rotation', {
      triggerId,
      values: { timestamp: context.getEnvelope().occurredAt, instance: this.config.HCX_INSTANCE_ID },
      only: [participant.participantCode],
    });
  }
}
