import { Module } from '@nestjs/common';
import { NpiRegistryModule } from '../registry/npi-registry.module';
import { SettlementModule } from '../settlement/settlement.module';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

/** NCHL's transaction APIs (real time and non-real time): signature, whitelist, debit cap, recording. */
@Module({
  imports: [NpiRegistryModule, SettlementModule],
  controllers: [BatchesController],
  providers: [BatchesService],
  exports: [BatchesService],
})
export class BatchesModule {}
