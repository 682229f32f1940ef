import { Module } from '@nestjs/common';
import { HcxDataAccessModule } from '@npi/hcx/data-access';
import { CLOCK, SERVICE_CONFIG, SERVICE_METRICS } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { ServiceMetrics } from '@npi/observability';
import type { HcxGatewayConfig } from '../config';
import { CryptoModule } from '../crypto/crypto.module';
import type { ParticipantCache } from '../registry/participant-cache';
import { ParticipantCacheModule } from '../registry/participant-cache.module';
import { API_KEY_VERIFIER, PARTICIPANT_CACHE } from '../tokens';
import { ApiKeyVerifier, ExternalApiKeyIssuer, Hs256ApiKeyIssuer } from './api-key-verifier';
import { TokenController } from './token.controller';
import { ApiKeyTokenService } from './api-key-token.service';

/**
 * API keys: /token/generate (HS256 keys signed with the client secret) and their verification
 * (this instance's keys and the configured external issuers). Exports the verifier, which the app
 * module gives HcxAccessModule (libs/auth-guards) for `@HcxParticipant()` / `@HcxOperator()`.
 */
@Module({
  imports: [HcxDataAccessModule, CryptoModule, ParticipantCacheModule],
  controllers: [TokenController],
  providers: [
    {
      provide: API_KEY_VERIFIER,
      // Computed at startup: one issuer per configured IdP (HCX_EXTERNAL_ISSUERS), each with its own remote JWKS.
      useFactory: (cache: ParticipantCache, clock: Clock, config: HcxGatewayConfig, metrics: ServiceMetrics) =>
        new ApiKeyVerifier(
          [
            new Hs256ApiKeyIssuer(config.HCX_INSTANCE_ID, cache, { clockSkewSeconds: config.HCX_CLOCK_SKEW_SECONDS, maxLifetimeSeconds: config.HCX_API_KEY_TTL_SECONDS }),
            ...config.HCX_EXTERNAL_ISSUERS.map(
              (issuer) =>
                new ExternalApiKeyIssuer(issuer.issuer, cache, {
                  jwksUrl: issuer.jwksUrl,
                  algorithms: issuer.algorithms,
                  participantClaim: issuer.participantClaim,
                  audience: issuer.audience,
                  clockSkewSeconds: config.HCX_CLOCK_SKEW_SECONDS,
                }),
            ),
          ],
          clock,
          (work) => metrics.timeStage('verify', 'hcx.api_key', work),
        ),
      inject: [PARTICIPANT_CACHE, CLOCK, SERVICE_CONFIG, SERVICE_METRICS],
    },
    ApiKeyTokenService,
  ],
  exports: [API_KEY_VERIFIER, ApiKeyTokenService],
})
export class ApiKeysModule {}
