import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { ServiceDependencies } from '@npi/service-runtime';
import type { SessionServiceConfig } from './config';

/** Wiring only: feature modules of session-service. Platform providers (config, clock, Prisma, broker) are global. */
@Module({})
export class AppModule {
  static register(_deps: ServiceDependencies<SessionServiceConfig>): DynamicModule {
    return { module: AppModule, imports: [] };
  }
}
