import { Module } from '@nestjs/common';
import { HcxDataAccessModule } from '@npi/hcx/data-access';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { CryptoModule } from '../crypto/crypto.module';
import { SecretDeliveryModule } from '../secret-delivery/secret-delivery.module';
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
  providers: [ParticipantRegistryService, RegistryApiService],
  exports: [ParticipantRegistryService],
})
export class RegistryModule {}
