import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { HcxDataAccessModule, PARTICIPANT_REPOSITORY, SECRET_DELIVERY_REPOSITORY } from '@npi/hcx/data-access';
import type { ParticipantRepository, SecretDeliveryRepository } from '@npi/hcx/data-access';
import { CLOCK, LOGGER, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { CryptoModule } from '../crypto/crypto.module';
import type { KeyEncryption } from '../crypto/key-encryption';
import { KEY_ENCRYPTION, SECRET_DELIVERY_WORKER, SECRET_NOTIFIER } from '../tokens';
import { SecretDeliveryWorker } from './secret-delivery.worker';
import { AllChannelsSecretNotifier, FileDropSecretNotifier } from './secret-notifier';
import type { SecretNotifier } from './secret-notifier';
import { SmsWebhookSecretNotifier } from './sms-webhook-secret-notifier';
import { SmtpSecretNotifier } from './smtp-secret-notifier';

/** The notifier adapters HCX_SECRET_NOTIFIER names (`file`, `email`, `sms`, joined by `+`; `none`). */
export function secretNotifierOf(config: HcxGatewayConfig): SecretNotifier | null {
  const channels: SecretNotifier[] = [];
  for (const channel of config.HCX_SECRET_NOTIFIER.split('+')) {
    if (channel === 'file') channels.push(new FileDropSecretNotifier(config.HCX_SECRET_DROP_DIR as string));
    if (channel === 'email') {
      channels.push(new SmtpSecretNotifier({ url: config.HCX_SMTP_URL as string, from: config.HCX_SMTP_FROM as string, requireTls: config.HCX_SMTP_REQUIRE_TLS ?? config.NODE_ENV === 'production' }));
    }
    if (channel === 'sms') channels.push(new SmsWebhookSecretNotifier({ url: config.HCX_SMS_WEBHOOK_URL as string, token: config.HCX_SMS_WEBHOOK_TOKEN as string }));
  }
  if (channels.length === 0) return null;
  return channels.length === 1 ? channels[0] : new AllChannelsSecretNotifier(channels);
}

/**
 * Client-secret delivery: the worker that hands due rows of hcx.secret_delivery to the configured
 * notifier. Without a notifier there is no worker and the rows wait (nothing is lost) until one is
 * configured. The worker runs from application bootstrap to shutdown.
 */
@Module({
  imports: [HcxDataAccessModule, CryptoModule],
  providers: [
    // Factories: the configured channels decide at startup which notifier exists, and without one there is no worker (null).
    { provide: SECRET_NOTIFIER, useFactory: secretNotifierOf, inject: [SERVICE_CONFIG] },
    {
      provide: SECRET_DELIVERY_WORKER,
      useFactory: (notifier: SecretNotifier | null, deliveries: SecretDeliveryRepository, participants: ParticipantRepository, keys: KeyEncryption, clock: Clock, logger: Logger, config: HcxGatewayConfig) =>
        notifier
          ? new SecretDeliveryWorker(deliveries, participants, keys, notifier, clock, logger, {
              pollMs: config.HCX_SECRET_DELIVERY_POLL_MS,
              backoffMs: config.HCX_SECRET_DELIVERY_BACKOFF_MS,
              maxBackoffMs: config.HCX_SECRET_DELIVERY_MAX_BACKOFF_MS,
              leaseMs: 60_000,
            })
          : null,
      inject: [SECRET_NOTIFIER, SECRET_DELIVERY_REPOSITORY, PARTICIPANT_REPOSITORY, KEY_ENCRYPTION, CLOCK, LOGGER, SERVICE_CONFIG],
    },
  ],
  exports: [SECRET_DELIVERY_WORKER],
})
export class SecretDeliveryModule {}
