import type { BrokerContext } from '@npi/messaging';
import type { HcxGatewayConfig } from '../config';
import type { NotificationParticipants, NotificationService } from './notification.service';
import { ParticipantNotificationsHandler } from './participant-notifications.handler';

describe('ParticipantNotificationsHandler', () => {
  function setup() {
    const sent: { topic: string; options: Parameters<NotificationService['notifyFromGateway']>[1] }[] = [];
    const notifications = { notifyFromGateway: async (topic: string, options: Parameters<NotificationService['notifyFromGateway']>[1]) => (sent.push({ topic, options }), 1) } as unknown as NotificationService;
    const participants: NotificationParticipants = {
      find: async (code) => (code === 'known@hcx' ? { participantCode: code, name: 'Known Clinic', roles: ['provider'], status: 'Inactive', signingCert: '', encryptionCert: '' } : null),
    };
    const handler = new ParticipantNotificationsHandler(notifications, participants, { HCX_INSTANCE_ID: 'hcx-unit' } as HcxGatewayConfig);
    const context = (eventId: string) => ({ getMessageId: () => eventId, getEnvelope: () => ({ occurredAt: '2026-12-06T10:00:00.000Z' }) }) as unknown as BrokerContext;
    return { handler, sent, context };
  }

  it('a status change goes to the status topic with the HCX spelling, keyed by the event id', async () => {
    const { handler, sent, context } = setup();
    await handler.onParticipantUpdated({ participantCode: 'known@hcx', change: 'status_changed', status: 'Inactive', secretVersion: 1 }, context('event-7'));
    expect(sent).toEqual([{ topic: 'notif-participant-status-change', options: { triggerId: 'event-7', values: { participant_name: 'Known Clinic', participant_code: 'known@hcx', status: 'InActive' } } }]);
  });

  it('a secret rotation goes only to the participant itself', async () => {
    const { handler, sent, context } = setup();
    await handler.onParticipantUpdated({ participantCode: 'known@hcx', change: 'secret_rotated', status: 'Active', secretVersion: 2 }, context('event-8'));
    expect(sent).toEqual([{ topic: 'notif-secret-rotation', options: expect.objectContaining({ triggerId: 'event-8', only: ['known@hcx'] }) }]);
  });

  it('ignores other changes, cache probes and unknown participants', async () => {
    const { handler, sent, context } = setup();
    await handler.onParticipantUpdated({ participantCode: 'known@hcx', change: 'updated', status: 'Active', secretVersion: 1 }, context('a'));
    await handler.onParticipantUpdated({ participantCode: 'known@hcx', change: 'created', status: 'Active', secretVersion: 1 }, context('b'));
    await handler.onParticipantUpdated({ participantCode: 'hcx-probe-1', change: 'status_changed', status: 'Created', secretVersion: 0 }, context('c'));
    expect(sent).toEqual([]);
  });
});
