import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { BillPreparedHandler } from './bill-prepared.handler';
import { BillersController } from './billers.controller';
import { BillersService } from './billers.service';

/** NPI Billers: the bills sessions prepared (`billers.bill.prepared.v1`) and their confirmation. */
@Module({
  imports: [BatchesModule],
  controllers: [BillersController, BillPreparedHandler],
  providers: [BillersService],
})
export class BillersModule {}
