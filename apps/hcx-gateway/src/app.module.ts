import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { ServiceDependencies } from '@npi/service-runtime';
import { API_CALL_REPOSITORY } from '@npi/hcx/data-access';
import { HcxAuthGuard } from './api-keys/hcx-auth.guard';
import { TokenController } from './api-keys/token.controller';
import { TokenService } from './api-keys/token.service';
import { AuditController } from './audit/audit.controller';
import type { HcxGatewayConfig } from './config';
import { Dispatcher } from './dispatcher/dispatcher';
import { JwksController } from './dispatcher/jwks.controller';
import { RoutedRequestHandler } from './dispatcher/routed-request.handler';
import { SigningKeysController } from './dispatcher/signing-keys.controller';
import { createGateway } from './gateway';
import type { Gateway } from './gateway';
import { HcxErrorsFilter } from './hcx-errors.filter';
import { NotificationController } from './notifications/notification.controller';
import { NOTIFICATION_HTTP_CONTROLLERS, NotificationsModule } from './notifications/notifications.module';
import { ProtocolController } from './protocol/protocol.controller';
import { ProtocolService } from './protocol/protocol.service';
import { ParticipantChangeHandler } from './registry/participant-change.handler';
import { CertificatesController, RegistryApiController } from './registry/registry-api.controller';
import { RegistryApiService } from './registry/registry-api.service';
import { RegistryController } from './registry/registry.controller';
import { RegistryService } from './registry/registry.service';
import { API_KEY_VERIFIER, HCX_SIGNING_KEYS, PARTICIPANT_CACHE } from './tokens';

export const GATEWAY = Symbol.for('hcx.Gateway');

/** Wiring only: the composition root's objects bound to the tokens controllers inject. */
@Module({})
export class AppModule {
  static register(deps: ServiceDependencies<HcxGatewayConfig>): DynamicModule {
    const gateway: Gateway = createGateway(deps);
    return {
      module: AppModule,
      imports: [NotificationsModule.register({ signer: gateway.signingKeys })],
      // AuditController and RegistryApiController before ProtocolController: /v0.8/audit/search and
      // /v0.8/participant/* and /v0.8/notification/* must not match /v0.8/:entity/:action.
      controllers: [TokenController, RegistryController, RegistryApiController, CertificatesController, NotificationController, ...NOTIFICATION_HTTP_CONTROLLERS, AuditController, ProtocolController, JwksController, SigningKeysController, RoutedRequestHandler, ParticipantChangeHandler],
      providers: [
        { provide: GATEWAY, useValue: gateway },
        { provide: TokenService, useValue: gateway.tokens },
        { provide: RegistryService, useValue: gateway.registry },
        { provide: RegistryApiService, useValue: gateway.registryApi },
        { provide: ProtocolService, useValue: gateway.protocol },
        { provide: API_KEY_VERIFIER, useValue: gateway.verifier },
        { provide: HCX_SIGNING_KEYS, useValue: gateway.signingKeys },
        { provide: API_CALL_REPOSITORY, useValue: gateway.repositories.apiCalls },
        { provide: PARTICIPANT_CACHE, useValue: gateway.cache },
        { provide: Dispatcher, useValue: gateway.dispatcher },
        HcxAuthGuard,
        HcxErrorsFilter,
      ],
    };
  }
}
