import { Injectable } from '@nestjs/common';
import type { DynamicModule, ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { resolveClientIp } from '@npi/auth-guards';
import { PRISMA_CLIENT, PrismaThrottlerStorage } from '@npi/database';
import type { PrismaClient, ServiceSchema } from '@npi/database';
import { CLOCK } from './clock';
import type { Clock } from './clock';
import type { RuntimeConfig } from './service-definition';
import { SERVICE_CONFIG } from './tokens';

/** One limit: `limit` requests per `ttlMs` for each value of what it counts by. */
export interface RateLimitRule {
  /** Stable name (part of the stored key and of the `X-RateLimit-*-<name>` headers). */
  name: string;
  limit: number;
  ttlMs: number;
  /** How long a key stays refused once over the limit (default: `ttlMs`). */
  blockMs?: number;
  /**
   * What is counted: the request's source address (X-Forwarded-For believed only from
   * TRUSTED_PROXIES, like the auth guards), or a key taken from the request; a request for which
   * the function answers undefined is not counted by this rule (its other rules still apply).
   */
  by: 'source-address' | ((request: Request) => string | undefined);
}

/** Key of a request whose source address cannot be established: such requests share one bucket. */
const UNKNOWN_SOURCE = 'source:unknown';

/**
 * `@nestjs/throttler` with its counters in the service's own PostgreSQL schema
 * (`rate_limit_bucket`, PrismaThrottlerStorage), so a limit holds across all replicas of the
 * service. Import it in the app module and put `@UseGuards(RateLimitGuard)` on the limited routes;
 * an exceeded limit throws `ThrottlerException` (429), which each protocol filter renders.
 */
export class RateLimitModule {
  /** `storage.maxInFlight`: batches of hits written at once (PrismaThrottlerStorage, default 2). */
  static forRules(schema: ServiceSchema, rules: readonly RateLimitRule[], storage: { maxInFlight?: number } = {}): DynamicModule {
    return ThrottlerModule.forRootAsync({
      inject: [PRISMA_CLIENT, CLOCK, SERVICE_CONFIG],
      useFactory: (prisma: PrismaClient, clock: Clock, config: RuntimeConfig) => ({
        storage: new PrismaThrottlerStorage({ prisma, schema, now: () => clock.now(), maxInFlight: storage.maxInFlight }),
        throttlers: rules.map((rule) => throttlerOf(rule, config.TRUSTED_PROXIES)),
      }),
    });
  }
}

function throttlerOf(rule: RateLimitRule, trustedProxies: readonly string[]): ThrottlerOptions {
  const keyOf = (request: Request): string | undefined => {
    if (rule.by !== 'source-address') {
      const key = rule.by(request);
      return key === undefined ? undefined : `key:${key}`;
    }
    const ip = resolveClientIp({ peerAddress: request.socket?.remoteAddress, forwardedFor: request.headers['x-forwarded-for'], trustedProxies });
    return ip ? `source:${ip}` : UNKNOWN_SOURCE;
  };
  const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<Request>();
  return {
    name: rule.name,
    limit: rule.limit,
    ttl: rule.ttlMs,
    blockDuration: rule.blockMs ?? rule.ttlMs,
    skipIf: (context) => keyOf(requestOf(context)) === undefined,
    getTracker: (request) => keyOf(request as Request) ?? UNKNOWN_SOURCE,
    // The route is part of the key, so one rule name may limit several routes independently.
    generateKey: (context, tracker, name) => `${context.getClass().name}.${context.getHandler().name}:${name}:${tracker}`,
  };
}

/** One rule's wait, as the throttler announced it on the answer (`Retry-After-<rule>`, seconds). */
export interface RateLimitWait {
  rule: string;
  seconds: number;
}

/**
 * For a protocol filter answering a `ThrottlerException`: sets the standard `Retry-After` (clients
 * look for that, while the throttler names its header per rule) to the longest wait among the rules
 * that refused, at least 1 s, and returns those waits so the filter can say which rule it was.
 */
export function announceRetryAfter(response: Response): RateLimitWait[] {
  const waits = Object.entries(response.getHeaders())
    .filter(([name]) => name.startsWith('retry-after-'))
    .map(([name, value]) => ({ rule: name.slice('retry-after-'.length), seconds: Number(value) }))
    .filter((wait) => Number.isFinite(wait.seconds));
  response.setHeader('Retry-After', String(Math.max(1, ...waits.map((wait) => wait.seconds))));
  return waits;
}

/**
 * `ThrottlerGuard` that counts a request's rules all at once instead of one after another, so
 * they wait for one batch of the storage together instead of one round trip each. Every rule is
 * counted even when another refuses the request (it errs on counting); the first refusal in rule
 * order is thrown. Rules are the module's (`RateLimitModule.forRules`): route decorators
 * (`@Throttle`, `@SkipThrottle`) are not read.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    const checks = this.throttlers
      .filter((throttler) => !(throttler.skipIf ?? this.commonOptions.skipIf)?.(context))
      .map((throttler) =>
        this.handleRequest({
          context,
          throttler,
          limit: throttler.limit as number,
          ttl: throttler.ttl as number,
          blockDuration: (throttler.blockDuration ?? throttler.ttl) as number,
          getTracker: throttler.getTracker ?? this.commonOptions.getTracker ?? ((request) => this.getTracker(request)),
          generateKey: throttler.generateKey ?? this.commonOptions.generateKey ?? ((keyContext, tracker, name) => this.generateKey(keyContext, tracker, name)),
        }),
      );
    const settled = await Promise.allSettled(checks);
    const refused = settled.find((outcome) => outcome.status === 'rejected');
    if (refused) throw refused.reason;
    return settled.every((outcome) => outcome.status === 'fulfilled' && outcome.value);
  }
}
