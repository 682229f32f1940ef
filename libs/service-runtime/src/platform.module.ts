import { Global, Module } from '@nestjs/common';
import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { OUTBOX_RELAY, PRISMA_CLIENT, pingDatabase } from '@npi/database';
import { MESSAGE_BROKER } from '@npi/messaging';
import { TerminusModule } from '@nestjs/terminus';
import { READINESS_REGISTRY, ReadinessRegistry, createServiceMetrics } from '@npi/observability';
import type { ReadinessCheck } from '@npi/observability';
import { BrokerHealthMonitor } from './broker-health';
import { CLOCK } from './clock';
import { FallbackExceptionFilter } from './fallback-exception.filter';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { RequestContextMiddleware } from './request-context';
import { RequestLoggerModule } from './request-logging';
import type { RuntimeConfig, ServiceDependencies } from './service-definition';
import { LOGGER, SERVICE_CONFIG, SERVICE_METRICS } from './tokens';

/**
 * Global providers every app gets: config, logger, metrics, clock, Prisma client, broker, outbox
 * relay (by the tokens in ./tokens, @npi/database and @npi/messaging), the readiness registry and
 * broker monitor, nestjs-pino's request-bound `PinoLogger`, plus /health (terminus) and /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(serviceName: string, deps: ServiceDependencies<RuntimeConfig>, extraReadiness: ReadinessCheck[] = []): DynamicModule {
    const metrics = deps.metrics ?? createServiceMetrics(serviceName);
    const readiness = new ReadinessRegistry();
    readiness.register({ name: 'database', check: () => pingDatabase(deps.prisma) });
    for (const check of extraReadiness) readiness.register(check);
    const brokerHealth = new BrokerHealthMonitor(deps.broker, metrics, deps.logger, deps.config.BROKER_HEALTH_INTERVAL_MS);
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: SERVICE_METRICS, useValue: metrics },
      { provide: CLOCK, useValue: deps.clock },
      { provide: PRISMA_CLIENT, useValue: deps.prisma },
      { provide: MESSAGE_BROKER, useValue: deps.broker },
      { provide: OUTBOX_RELAY, useValue: deps.outbox },
      { provide: READINESS_REGISTRY, useValue: readiness },
      { provide: BrokerHealthMonitor, useValue: brokerHealth },
      RequestContextMiddleware,
      { provide: APP_FILTER, useClass: FallbackExceptionFilter },
    ];
    return {
      module: PlatformModule,
      // Failed probes are logged once per transition by the HealthController, not on every probe.
      imports: [TerminusModule.forRoot({ logger: false }), RequestLoggerModule],
      controllers: [HealthController, MetricsController],
      providers,
      exports: providers.filter((p) => typeof p !== 'function' && p.provide !== APP_FILTER),
    };
  }
}
