import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { SettlementModule } from '../settlement/settlement.module';
import { ReportingController } from './reporting.controller';
import { ReportingService } from './reporting.service';

/** NCHL's transaction reports (by date, batch id, instruction id) of the member's own batches. */
@Module({
  imports: [BatchesModule, SettlementModule],
  controllers: [ReportingController],
  providers: [ReportingService],
})
export class ReportingModule {}
