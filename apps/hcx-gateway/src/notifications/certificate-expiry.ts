import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { NOTIFICATION_REPOSITORY, PARTICIPANT_REPOSITORY } from '@npi/hcx/data-access';
import type { NotificationRepository, ParticipantRecord, ParticipantRepository } from '@npi/hcx/data-access';
import { CLOCK, LOGGER, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { certificateExpiry } from '../crypto/certificates';
import { NotificationService } from './notification.service';

const PAGE = 200;
const DAY_MS = 24 * 3600_000;

/**
 * Before a participant's encryption or signing certificate expires, the gateway sends it the
 * `notif-certificate-expiry` notification (when it subscribed to that topic). Every replica runs the
 * check; the claim row (participant, certificate, notAfter) lets exactly one send it, once per
 * certificate and lead window: an uploaded replacement has a new notAfter and gets its own notice.
 */
@Injectable()
export class CertificateExpiryWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(PARTICIPANT_REPOSITORY) private readonly participants: ParticipantRepository,
    @Inject(NOTIFICATION_REPOSITORY) private readonly repository: NotificationRepository,
    @Inject(NotificationService) private readonly notifications: NotificationService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<HcxGatewayConfig, 'HCX_CERT_EXPIRY_LEAD_DAYS' | 'HCX_CERT_EXPIRY_CHECK_INTERVAL_MS'>,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.HCX_CERT_EXPIRY_CHECK_INTERVAL_MS;
    if (interval <= 0) return;
    const run = () => {
      this.running ??= this.checkOnce()
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'certificate expiry check failed; retried at the next interval');
          return 0;
        })
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(run, interval);
    this.timer.unref();
    setTimeout(run, Math.min(interval, 10_000)).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass over the Active participants; answers how many notices this replica sent. */
  async checkOnce(): Promise<number> {
    const now = this.clock.now();
    const horizon = now.getTime() + this.config.HCX_CERT_EXPIRY_LEAD_DAYS * DAY_MS;
    let sent = 0;
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.participants.query({ filters: [{ field: 'status', operator: 'eq', value: 'Active' }], limit: PAGE, offset });
      for (const participant of page) sent += await this.checkParticipant(participant, now, horizon);
      if (page.length < PAGE) return sent;
    }
  }

  private async checkParticipant(participant: ParticipantRecord, now: Date, horizon: number): Promise<number> {
    // One notice for a certificate used for both purposes.
    const certificates = participant.signingCert === participant.encryptionCert
      ? [{ kind: 'encryption+signing', label: 'encryption and signing certificate', pem: participant.encryptionCert }]
      : [
          { kind: 'encryption', label: 'encryption certificate', pem: participant.encryptionCert },
          { kind: 'signing', label: 'signing certificate', pem: participant.signingCert },
        ];
    let sent = 0;
    for (const certificate of certificates) {
      const notAfter = certificateExpiry(certificate.pem);
      if (!notAfter || notAfter.getTime() > horizon) continue;
      if (!(await this.repository.claimExpiryNotice(participant.participantCode, certificate.kind, notAfter, now))) continue;
      try {
        await this.notifications.notifyFromGateway('notif-certificate-expiry', {
          triggerId: `${participant.participantCode}|${certificate.kind}|${notAfter.toISOString()}`,
          values: { certificate: certificate.label, expiry: notAfter.toISOString() },
          only: [participant.participantCode],
        });
        sent += 1;
      } catch (error) {
        // Not sent: give the claim back so the next check (here or on another replica) tries again.
        await this.repository.releaseExpiryNotice(participant.participantCode, certificate.kind, notAfter);
        throw error;
      }
    }
    return sent;
  }
}
