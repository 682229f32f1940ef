import { Module } from '@nestjs/common';
import type { DynamicModule, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ClientAllowlistCache } from '../checks/client-allowlist-cache';
import { RevokedTokenCache } from '../checks/revoked-token-cache';
import { AccessTokenVerifier } from './access-token-verifier';
import { NpiMemberGuard } from '../passport/guards';
import { NpiMemberStrategy } from '../passport/npi-member.strategy';
import { AuthCacheEventsHandler } from './auth-cache-events.handler';
import type { AuthGuardsOptions } from './options';
import { AUTH_GUARDS_OPTIONS } from './tokens';

const PRUNE_INTERVAL_MS = 60_000;

/**
 * The NPI member strategy for every resource service. Global, so `@NpiMember()` works in any
 * feature module. Its caches are fed by AuthCacheEventsHandler (`@EventPattern` handlers of
 * auth.token.revoked.v1 and auth.client.updated.v1, per-instance groups gating readiness), which the
 * platform's broker transport subscribes when the service starts.
 */
@Module({})
export class AuthGuardsModule implements OnModuleInit, OnModuleDestroy {
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly revoked: RevokedTokenCache) {}

  static forRoot(options: AuthGuardsOptions): DynamicModule {
    if (!options.jwks && !options.jwksUrl) throw new TypeError('AuthGuardsModule.forRoot needs jwksUrl or jwks');
    const providers = [
      { provide: AUTH_GUARDS_OPTIONS, useValue: options },
      RevokedTokenCache,
      ClientAllowlistCache,
      AccessTokenVerifier,
      NpiMemberStrategy,
      NpiMemberGuard,
    ];
    return {
      module: AuthGuardsModule,
      global: true,
      controllers: options.subscribe === false ? [] : [AuthCacheEventsHandler],
      providers,
      exports: providers,
    };
  }

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => this.revoked.prune(new Date()), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruneTimer);
  }
}
