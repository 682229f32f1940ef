import { Module } from '@nestjs/common';
import { OUTBOX_RELAY } from '@npi/database';
import type { OutboxRelay } from '@npi/database';
import { HcxDataAccessModule, PARTICIPANT_REPOSITORY, SECRET_DELIVERY_REPOSITORY } from '@npi/hcx/data-access';
import type { ParticipantRepository, SecretDeliveryRepository } from '@npi/hcx/data-access';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import type { HcxGatewayConfig } from '../config';
import { CryptoModule } from '../crypto/crypto.module';
import type { KeyEncryption } from '../crypto/key-encryption';
import { SecretDeliveryModule } from '../secret-delivery/secret-delivery.module';
import type { SecretDeliveryWorker } from '../secret-delivery/secret-delivery.worker';
import { KEY_ENCRYPTION, PARTICIPANT_CACHE, PRODUCER, SECRET_DELIVERY_WORKER } from '../tokens';
import type { ParticipantCache } from './participant-cache';
import { ParticipantCacheModule } from './participant-cache.module';
import { CertificatesController, RegistryApiController } from './registry-api.controller';
import { RegistryApiService } from './registry-api.service';
import { RegistryController } from './registry.controller';
import { ParticipantRegistryService } from './participant-registry.service';

/**
 * The participant registry: operators' /participants API and the HCX registry API
 * (/v0.8/participant/*, certificates). Changes go to the outbox as hcx.participant.updated.v1 in the
 * same transaction; a new secret's delivery row wakes the delivery worker.
 */
@Module({
  imports: [HcxDataAccessModule, CryptoModule, ParticipantCacheModule, SecretDeliveryModule, ApiKeysModule],
  controllers: [RegistryController, RegistryApiController, CertificatesController],
  providers: [
    {
      provide: ParticipantRegistryService,
      useFactory: (
        participants: ParticipantRepository,
        keys: KeyEncryption,
        cache: ParticipantCache,
        worker: SecretDeliveryWorker | null,
        outbox: OutboxRelay,
        clock: Clock,
        deliveries: SecretDeliveryRepository,
        config: HcxGatewayConfig,
      ) =>
        new ParticipantRegistryService(participants, keys, cache, () => worker?.nudge(), outbox, clock, deliveries, {
          producer: PRODUCER,
          requireHttpsEndpoints: config.NODE_ENV === 'production',
        }),
      inject: [PARTICIPANT_REPOSITORY, KEY_ENCRYPTION, PARTICIPANT_CACHE, SECRET_DELIVERY_WORKER, OUTBOX_RELAY, CLOCK, SECRET_DELIVERY_REPOSITORY, SERVICE_CONFIG],
    },
    {
      provide: RegistryApiService,
      useFactory: (registry: ParticipantRegistryService, clock: Clock, config: HcxGatewayConfig) => new RegistryApiService(registry, clock, { instanceId: config.HCX_INSTANCE_ID }),
      inject: [ParticipantRegistryService, CLOCK, SERVICE_CONFIG],
    },
  ],
  exports: [ParticipantRegistryService],
})
export class RegistryModule {}
