import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { HcxAccessModule, OperatorAuthModule } from '@npi/auth-guards';
import { RateLimitModule, SERVICE_CONFIG } from '@npi/service-runtime';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { tokenRateLimits } from './api-keys/token.controller';
import { AuditModule } from './audit/audit.module';
import { CryptoModule } from './crypto/crypto.module';
import { DispatcherModule } from './dispatcher/dispatcher.module';
import { HcxErrorsFilter } from './hcx-errors.filter';
import { NotificationController } from './notifications/notification.controller';
import { NOTIFICATION_HTTP_CONTROLLERS, NotificationsModule } from './notifications/notifications.module';
import { ProtocolModule } from './protocol/protocol.module';
import { ParticipantCacheModule } from './registry/participant-cache.module';
import { RegistryModule } from './registry/registry.module';
import { SecretDeliveryModule } from './secret-delivery/secret-delivery.module';
import type { HcxGatewayConfig } from './config';
import { API_KEY_VERIFIER } from './tokens';
import type { ApiKeyVerifier } from './api-keys/api-key-verifier';

/**
 * Wiring only: one module per capability. Platform providers (config, clock, logger, metrics,
 * Prisma, broker, outbox) are global (libs/service-runtime). Nest registers routes module by module
 * in this order, the app module's own controllers first: ProtocolModule is last, because its
 * catch-all `/v0.8/:entity/:action` must not shadow /v0.8/audit/*, /v0.8/participant/* or
 * /v0.8/notification/*. The rate limits (`/token/generate`) take their numbers from the config, so
 * the module is made by `register(config)`.
 */
@Module({
  imports: [
    // Route guards (libs/auth-guards): the operator token (HCX_ADMIN_TOKEN), and the API-key check,
    // which stays in ApiKeysModule (it reads this gateway's participant cache and issuers).
    OperatorAuthModule.forRoot({ inject: [SERVICE_CONFIG], useFactory: (config: HcxGatewayConfig) => ({ token: config.HCX_ADMIN_TOKEN }) }),
    HcxAccessModule.forRoot({ imports: [ApiKeysModule], inject: [API_KEY_VERIFIER], useFactory: (verifier: ApiKeyVerifier) => verifier }),
    CryptoModule, SecretDeliveryModule, ParticipantCacheModule, ApiKeysModule, RegistryModule, DispatcherModule, NotificationsModule.register(), AuditModule, ProtocolModule],
  controllers: [NotificationController, ...NOTIFICATION_HTTP_CONTROLLERS],
  providers: [HcxErrorsFilter],
})
export class HcxGatewayModule {
  static register(config: HcxGatewayConfig): DynamicModule {
    return { module: HcxGatewayModule, imports: [RateLimitModule.forRules('hcx', tokenRateLimits(config))] };
  }
}
