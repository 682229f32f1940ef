import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { API_CALL_REPOSITORY, HcxDataAccessModule, SIGNING_KEY_REPOSITORY } from '@npi/hcx/data-access';
import type { ApiCallRepository, SigningKeyRepository } from '@npi/hcx/data-access';
import type { ServiceMetrics } from '@npi/observability';
import { CLOCK, LOGGER, SERVICE_CONFIG, SERVICE_METRICS } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import type { HcxGatewayConfig } from '../config';
import { CryptoModule } from '../crypto/crypto.module';
import type { KeyEncryption } from '../crypto/key-encryption';
import type { ParticipantCache } from '../registry/participant-cache';
import { ParticipantCacheModule } from '../registry/participant-cache.module';
import { HCX_SIGNING_KEYS, KEY_ENCRYPTION, PARTICIPANT_CACHE } from '../tokens';
import { Dispatcher } from './dispatcher';
import { HcxSigningKeys } from './hcx-signing-keys';
import { JwksController } from './jwks.controller';
import { RoutedRequestHandler } from './routed-request.handler';
import { SigningKeysController } from './signing-keys.controller';

/**
 * Delivery of accepted requests to the recipients (RoutedRequestHandler → Dispatcher) with the HCX
 * instance's RS256 keys (HcxSigningKeys, loaded or created before the app starts), their JWKS and
 * their rotation. Whether this process consumes routed requests is HCX_DISPATCHER_ENABLED
 * (service.ts `eventGroups`).
 */
@Module({
  imports: [HcxDataAccessModule, CryptoModule, ParticipantCacheModule, ApiKeysModule],
  controllers: [JwksController, SigningKeysController, RoutedRequestHandler],
  providers: [
    {
      provide: HCX_SIGNING_KEYS,
      useFactory: async (repository: SigningKeyRepository, keys: KeyEncryption, clock: Clock, config: HcxGatewayConfig) => {
        const signingKeys = new HcxSigningKeys(repository, keys, clock, {
          instanceId: config.HCX_INSTANCE_ID,
          tokenLifetimeSeconds: config.HCX_DISPATCH_TOKEN_TTL_SECONDS,
          keyFile: config.HCX_SIGNING_KEY_FILE,
          keyId: config.HCX_SIGNING_KEY_ID,
        });
        await signingKeys.init();
        return signingKeys;
      },
      inject: [SIGNING_KEY_REPOSITORY, KEY_ENCRYPTION, CLOCK, SERVICE_CONFIG],
    },
    {
      provide: Dispatcher,
      useFactory: (apiCalls: ApiCallRepository, cache: ParticipantCache, signingKeys: HcxSigningKeys, clock: Clock, logger: Logger, config: HcxGatewayConfig, metrics: ServiceMetrics) =>
        new Dispatcher(
          apiCalls,
          cache,
          signingKeys,
          clock,
          logger,
          { instanceId: config.HCX_INSTANCE_ID, timeoutMs: config.HCX_DISPATCH_TIMEOUT_MS, retries: config.HCX_DISPATCH_RETRIES, backoffMs: config.HCX_DISPATCH_BACKOFF_MS },
          undefined,
          (name, seconds, outcome) => metrics.stageDuration.observe({ stage: name, path: 'hcx.dispatch', outcome }, seconds),
        ),
      inject: [API_CALL_REPOSITORY, PARTICIPANT_CACHE, HCX_SIGNING_KEYS, CLOCK, LOGGER, SERVICE_CONFIG, SERVICE_METRICS],
    },
  ],
  exports: [HCX_SIGNING_KEYS, Dispatcher],
})
export class DispatcherModule {}
