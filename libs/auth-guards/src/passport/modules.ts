import { Module } from '@nestjs/common';
import type { DynamicModule, ModuleMetadata, Provider } from '@nestjs/common';
import { createHcxTokenVerifier } from '../checks/hcx-token';
import type { HcxTokenVerifierOptions } from '../checks/hcx-token';
import { HcxAccessGuard, HcxGatewayTokenGuard, OperatorGuard } from './guards';
import { HcxApiKeyStrategy } from './hcx-api-key.strategy';
import type { HcxApiKeyVerifierPort } from './hcx-api-key.strategy';
import { HcxGatewayTokenStrategy } from './hcx-gateway-token.strategy';
import { HCX_API_KEY_VERIFIER, HCX_TOKEN_VERIFIER, OPERATOR_AUTH_OPTIONS } from '../nest/tokens';
import { OperatorTokenStrategy } from './operator.strategy';
import type { OperatorAuthOptions } from './operator.strategy';

/**
 * `@Operator()` (and hcx-gateway's operator side): one operator token per service, given from the
 * service's own setting so the setting names stay what each service documents.
 */
@Module({})
export class OperatorAuthModule {
  static forRoot(options: OperatorAuthOptions | { inject?: unknown[]; useFactory: (...args: never[]) => OperatorAuthOptions }): DynamicModule {
    const settings: Provider =
      'useFactory' in options ? { provide: OPERATOR_AUTH_OPTIONS, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] } : { provide: OPERATOR_AUTH_OPTIONS, useValue: options };
    const providers: Provider[] = [settings, OperatorTokenStrategy, OperatorGuard];
    return { module: OperatorAuthModule, global: true, providers, exports: providers };
  }
}

export interface HcxAccessModuleOptions {
  imports?: ModuleMetadata['imports'];
  inject?: unknown[];
  /** The gateway's API-key verifier (it stays in hcx-gateway: it reads the gateway's participant cache). */
  useFactory: (...args: never[]) => HcxApiKeyVerifierPort | Promise<HcxApiKeyVerifierPort>;
}

/** hcx-gateway's `@HcxParticipant()` / `@HcxOperator()`: needs `OperatorAuthModule.forRoot` too. */
@Module({})
export class HcxAccessModule {
  static forRoot(options: HcxAccessModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: HCX_API_KEY_VERIFIER, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] },
      HcxApiKeyStrategy,
      HcxAccessGuard,
    ];
    return { module: HcxAccessModule, global: true, imports: options.imports ?? [], providers, exports: providers };
  }
}

/**
 * For a participant system's own Nest service: `@FromHcxGateway()` on the endpoints the HCX gateway
 * calls. Give the verifier options (createHcxTokenVerifier) or a verifier.
 */
@Module({})
export class HcxParticipantSystemModule {
  static forRoot(options: HcxTokenVerifierOptions | { verifier: ReturnType<typeof createHcxTokenVerifier> }): DynamicModule {
    const verifier = 'verifier' in options ? options.verifier : createHcxTokenVerifier(options);
    const providers: Provider[] = [{ provide: HCX_TOKEN_VERIFIER, useValue: verifier }, HcxGatewayTokenStrategy, HcxGatewayTokenGuard];
    return { module: HcxParticipantSystemModule, global: true, providers, exports: providers };
  }
}
