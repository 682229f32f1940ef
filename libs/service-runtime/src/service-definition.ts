import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ServiceBaseConfig } from '@npi/config';
import type { OutboxRelay, PrismaClient, ServiceSchema } from '@npi/database';
import type { BrokerEventGroupSettings, MessageBroker } from '@npi/messaging';
import type { ServiceMetrics } from '@npi/observability';
import type { Clock } from './clock';

export type RuntimeConfig = ServiceBaseConfig & { PORT: number };

/** What the platform hands an app: config plus the ports (database, broker, clock, outbox). */
export interface ServiceDependencies<Config extends RuntimeConfig = RuntimeConfig> {
  config: Config;
  prisma: PrismaClient;
  broker: MessageBroker;
  clock: Clock;
  logger: Logger;
  outbox: OutboxRelay;
  /** The service's metrics (created by startService; PlatformModule makes its own when absent). */
  metrics?: ServiceMetrics;
}

/** Each app exports one of these from src/service.ts; main.ts and the standalone launcher run it. */
export interface ServiceDefinition<Config extends RuntimeConfig = RuntimeConfig> {
  name: string;
  /** Its PostgreSQL schema (and outbox). */
  schema: ServiceSchema;
  title: string;
  description: string;
  configSchema: z.ZodType<Config, z.ZodTypeDef, unknown>;
  /** The app's root module, built from the dependencies. */
  createModule(deps: ServiceDependencies<Config>): DynamicModule;
  /**
   * Optional: per-deployment settings of `@EventPattern` handlers by their group (a kept consumer
   * group id, a handler this deployment does not run).
   */
  eventGroups?(config: Config): Record<string, BrokerEventGroupSettings>;
  /** Optional: after listen (start consumers, warm caches). Runs before readiness turns green. */
  onStarted?(app: INestApplication, deps: ServiceDependencies<Config>): Promise<void>;
  /** Optional: before close (stop consumers). */
  onStopping?(app: INestApplication, deps: ServiceDependencies<Config>): Promise<void>;
}
