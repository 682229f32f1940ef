import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { ServiceDependencies } from '@npi/service-runtime';
import type { HcxGatewayConfig } from './config';

/** Wiring only: feature modules of hcx-gateway. Platform providers (config, clock, Prisma, broker) are global. */
@Module({})
export class AppModule {
  static register(_deps: ServiceDependencies<HcxGatewayConfig>): DynamicModule {
    return { module: AppModule, imports: [] };
  }
}
