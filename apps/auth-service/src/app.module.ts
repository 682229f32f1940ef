import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { ServiceDependencies } from '@npi/service-runtime';
import type { AuthServiceConfig } from './config';

/** Wiring only: feature modules of auth-service. Platform providers (config, clock, Prisma, broker) are global. */
@Module({})
export class AppModule {
  static register(_deps: ServiceDependencies<AuthServiceConfig>): DynamicModule {
    return { module: AppModule, imports: [] };
  }
}
