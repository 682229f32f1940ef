import { Inject, Injectable, Optional } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SETTLEMENT_ADAPTER } from './settlement.port';
import type { SettlementAdapter } from './settlement.port';

/** Starts and stops whichever settlement adapter is bound (none when SETTLEMENT_AUTO_CREDIT=false). */
@Injectable()
export class SettlementLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Optional() @Inject(SETTLEMENT_ADAPTER) private readonly adapter?: SettlementAdapter) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.adapter?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.adapter?.stop();
  }
}
