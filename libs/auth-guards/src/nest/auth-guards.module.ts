import { randomUUID } from 'node:crypto';
import { Inject, Module, Optional } from '@nestjs/common';
import type { DynamicModule, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuthClientUpdatedV1, AuthTokenRevokedV1 } from '@npi/kafka-contracts';
import { MESSAGE_BROKER, subscribeToEvent } from '@npi/messaging';
import { READINESS_REGISTRY } from '@npi/observability';
import type { ReadinessRegistry } from '@npi/observability';
import type { MessageBroker, Subscription } from '@npi/messaging';
import { ClientAllowlistCache } from '../checks/client-allowlist-cache';
import { RevokedTokenCache } from '../checks/revoked-token-cache';
import { AccessTokenVerifier } from './access-token-verifier';
import { NpiMemberGuard } from '../passport/guards';
import { NpiMemberStrategy } from '../passport/npi-member.strategy';
import type { AuthGuardsOptions } from './options';
import { AUTH_GUARDS_OPTIONS } from './tokens';

const PRUNE_INTERVAL_MS = 60_000;
const READINESS_CHECK_NAME = 'authGuardsCaches';

/**
 * The NPI member strategy for every resource service. Global, so `@NpiMember()` works in any
 * feature module. On init it subscribes the caches to auth.token.revoked.v1 and
 * auth.client.updated.v1 with a consumer group unique to this instance (each replica must see every
 * event) reading from the beginning (a new replica must learn every client and recent revocation).
 */
@Module({})
export class AuthGuardsModule implements OnModuleInit, OnModuleDestroy {
  private subscriptions: Subscription[] = [];
  private pruneTimer: NodeJS.Timeout | undefined;
  private initialized = false;

  constructor(
    @Inject(AUTH_GUARDS_OPTIONS) private readonly options: AuthGuardsOptions,
    private readonly revoked: RevokedTokenCache,
    private readonly allowlist: ClientAllowlistCache,
    @Optional() @Inject(MESSAGE_BROKER) private readonly broker?: MessageBroker,
    @Optional() @Inject(READINESS_REGISTRY) private readonly readiness?: ReadinessRegistry,
  ) {}

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
    return { module: AuthGuardsModule, global: true, providers, exports: providers };
  }

  async onModuleInit(): Promise<void> {
    // The HTTP app and the broker microservice share this module instance, and Nest runs init hooks
    // once per context: subscribe (and register the readiness check) only the first time.
    if (this.initialized) return;
    this.initialized = true;
    this.pruneTimer = setInterval(() => this.revoked.prune(new Date()), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    if (this.options.subscribe === false) return;
    if (!this.broker) throw new TypeError('AuthGuardsModule needs the platform MESSAGE_BROKER (or subscribe: false)');
    const instance = randomUUID();
    const [revokedTokens, clientAllowlist] = [
      await subscribeToEvent(this.broker, {
        groupId: `${this.options.consumerGroupPrefix}.auth-guards.revoked-tokens.${instance}`,
        contract: AuthTokenRevokedV1,
        fromBeginning: true,
        handler: async (event) => this.revoked.apply(event.data),
      }),
      await subscribeToEvent(this.broker, {
        groupId: `${this.options.consumerGroupPrefix}.auth-guards.client-allowlist.${instance}`,
        contract: AuthClientUpdatedV1,
        fromBeginning: true,
        handler: async (event) => {
          this.allowlist.apply(event.data);
        },
      }),
    ];
    this.subscriptions.push(revokedTokens, clientAllowlist);
    // A replica that has not yet read every client and revocation would refuse valid clients (or
    // honour revoked tokens): it is not ready until both caches reached the end offsets seen at start.
    this.readiness?.register({
      name: READINESS_CHECK_NAME,
      check: async () => {
        const state = { revokedTokens: revokedTokens.isCaughtUp(), clientAllowlist: clientAllowlist.isCaughtUp() };
        if (!state.revokedTokens || !state.clientAllowlist) throw new Error(`catching up: ${JSON.stringify(state)}`);
        return { caughtUp: true };
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.pruneTimer);
    this.readiness?.unregister(READINESS_CHECK_NAME);
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  }
}
