import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthClientUpdatedV1, AuthTokenRevokedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { ClientAllowlistCache } from '../checks/client-allowlist-cache';
import { RevokedTokenCache } from '../checks/revoked-token-cache';

/** Readiness check of the two caches: a replica that has not read every client and revocation yet would refuse valid clients (or honour revoked tokens). */
export const AUTH_GUARDS_READINESS = 'authGuardsCaches';

/**
 * Feeds the guards' caches from auth-service's events. Each replica must hold every client and
 * recent revocation, so both groups are per instance and read from the beginning
 * (`<service group prefix>.auth-guards.{revoked-tokens|client-allowlist}.<instance>`), and the pod is
 * ready only once both caught up with what was in their topics when they subscribed.
 */
@Controller()
export class AuthCacheEventsHandler {
  constructor(
    private readonly revoked: RevokedTokenCache,
    private readonly allowlist: ClientAllowlistCache,
  ) {}

  @EventPattern(AuthTokenRevokedV1.topic, { group: 'auth-guards.revoked-tokens', perInstance: true, readiness: AUTH_GUARDS_READINESS } satisfies BrokerEventHandlerOptions)
  async onTokenRevoked(@Payload() data: EventData<typeof AuthTokenRevokedV1>): Promise<void> {
    this.revoked.apply(data);
  }

  @EventPattern(AuthClientUpdatedV1.topic, { group: 'auth-guards.client-allowlist', perInstance: true, readiness: AUTH_GUARDS_READINESS } satisfies BrokerEventHandlerOptions)
  async onClientUpdated(@Payload() data: EventData<typeof AuthClientUpdatedV1>): Promise<void> {
    this.allowlist.apply(data);
  }
}
