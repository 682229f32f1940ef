import { Global, Module } from '@nestjs/common';
import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { OUTBOX_RELAY, PRISMA_CLIENT, pingDatabase } from '@npi/database';
import { MESSAGE_BROKER } from '@npi/messaging';
import { createServiceMetrics } from '@npi/observability';
import { CLOCK } from './clock';
import { FallbackExceptionFilter } from './fallback-exception.filter';
import { HealthController } from './health.controller';
import type { ReadinessCheck } from './health.controller';
import { MetricsController } from './metrics.controller';
import { RequestContextMiddleware } from './request-context';
import type { RuntimeConfig, ServiceDependencies } from './service-definition';
import { LOGGER, READINESS_CHECKS, SERVICE_CONFIG, SERVICE_METRICS } from './tokens';

/**
 * Global providers every app gets: config, logger, metrics, clock, Prisma client, broker, outbox
 * relay (by the tokens in ./tokens, @npi/database and @npi/messaging), plus /health and /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(serviceName: string, deps: ServiceDependencies<RuntimeConfig>, extraReadiness: ReadinessCheck[] = []): DynamicModule {
    const metrics = deps.metrics ?? createServiceMetrics(serviceName);
    const readiness: ReadinessCheck[] = [
      { name: 'database', check: () => pingDatabase(deps.prisma) },
      { name: 'broker', check: () => deps.broker.ping() },
      ...extraReadiness,
    ];
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: SERVICE_METRICS, useValue: metrics },
      { provide: CLOCK, useValue: deps.clock },
      { provide: PRISMA_CLIENT, useValue: deps.prisma },
      { provide: MESSAGE_BROKER, useValue: deps.broker },
      { provide: OUTBOX_RELAY, useValue: deps.outbox },
      { provide: READINESS_CHECKS, useValue: readiness },
      RequestContextMiddleware,
      { provide: APP_FILTER, useClass: FallbackExceptionFilter },
    ];
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers,
      exports: providers.filter((p) => typeof p !== 'function' && p.provide !== APP_FILTER),
    };
  }
}
