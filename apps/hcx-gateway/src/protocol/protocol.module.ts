import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { OUTBOX_RELAY } from '@npi/database';
import type { OutboxRelay } from '@npi/database';
import { API_CALL_REPOSITORY, HcxDataAccessModule } from '@npi/hcx/data-access';
import type { ApiCallRepository } from '@npi/hcx/data-access';
import type { ServiceMetrics } from '@npi/observability';
import { CLOCK, LOGGER, SERVICE_CONFIG, SERVICE_METRICS } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import type { HcxGatewayConfig } from '../config';
import type { ParticipantCache } from '../registry/participant-cache';
import { ParticipantCacheModule } from '../registry/participant-cache.module';
import { PARTICIPANT_CACHE, PRODUCER } from '../tokens';
import { ProtocolController } from './protocol.controller';
import { ProtocolService } from './protocol.service';

/**
 * The HCX protocol APIs (/v0.8/<entity>/<action>): acceptance rules in ProtocolService, the
 * accepted request and its hcx.request.routed.v1 event committed together. Its controller ends in
 * the catch-all `/v0.8/:entity/:action`, so the app module imports this module last (Nest registers
 * routes module by module).
 */
@Module({
  imports: [HcxDataAccessModule, ParticipantCacheModule, ApiKeysModule],
  controllers: [ProtocolController],
  providers: [
    {
      provide: ProtocolService,
      useFactory: (cache: ParticipantCache, apiCalls: ApiCallRepository, outbox: OutboxRelay, clock: Clock, logger: Logger, config: HcxGatewayConfig, metrics: ServiceMetrics) =>
        new ProtocolService(cache, apiCalls, outbox, clock, logger, {
          producer: PRODUCER,
          maxAgeSeconds: config.HCX_TIMESTAMP_MAX_AGE_SECONDS,
          clockSkewSeconds: config.HCX_CLOCK_SKEW_SECONDS,
          timeDatabase: (work) => metrics.timeStage('database', 'hcx.accept', work),
        }),
      inject: [PARTICIPANT_CACHE, API_CALL_REPOSITORY, OUTBOX_RELAY, CLOCK, LOGGER, SERVICE_CONFIG, SERVICE_METRICS],
    },
  ],
})
export class ProtocolModule {}
