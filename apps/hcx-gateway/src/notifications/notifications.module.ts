import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { HcxDataAccessModule, NOTIFICATION_REPOSITORY, PARTICIPANT_REPOSITORY, PrismaNotificationRepository } from '@npi/hcx/data-access';
import { DispatcherModule } from '../dispatcher/dispatcher.module';
import { HCX_SIGNING_KEYS, NOTIFICATION_PARTICIPANTS, NOTIFICATION_SIGNER } from '../tokens';
import { CertificateExpiryWatcher } from './certificate-expiry';
import { NotificationService } from './notification.service';
import { NotificationAuditController } from './notification-audit.controller';
import { NotificationSubscriptionsController } from './notification-subscriptions.controller';
import { ParticipantNotificationsHandler } from './participant-notifications.handler';

/**
 * HTTP controllers of the notification APIs. They are registered by the app module, before the
 * protocol controller's generic `/v0.8/:entity/:action` route (Nest registers routes module by
 * module, the importing module first), and inject what this module exports.
 */
export const NOTIFICATION_HTTP_CONTROLLERS = [NotificationSubscriptionsController, NotificationAuditController];

/**
 * HCX notifications: subscriptions, notify with fan-out through the dispatcher, the gateway's own
 * notifications (participant status, secret rotation, certificate expiry).
 */
@Module({})
export class NotificationsModule {
  /** The gateway's own notifications are signed with the HCX instance key (DispatcherModule's HcxSigningKeys). */
  static register(): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [HcxDataAccessModule, DispatcherModule],
      // Kafka handlers only (no HTTP routes): the registry's changes become the gateway's own notifications.
      controllers: [ParticipantNotificationsHandler],
      providers: [
        { provide: NOTIFICATION_SIGNER, useExisting: HCX_SIGNING_KEYS },
        { provide: NOTIFICATION_REPOSITORY, useFactory: (prisma: PrismaClient) => new PrismaNotificationRepository(prisma), inject: [PRISMA_CLIENT] },
        // The participant repository answers what notifications need of a participant.
        { provide: NOTIFICATION_PARTICIPANTS, useExisting: PARTICIPANT_REPOSITORY },
        NotificationService,
        CertificateExpiryWatcher,
      ],
      exports: [NotificationService, NOTIFICATION_REPOSITORY, CertificateExpiryWatcher],
    };
  }
}
