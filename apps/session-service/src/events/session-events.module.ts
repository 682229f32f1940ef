import { Module } from '@nestjs/common';
import { SessionDataAccessModule } from '@npi/session/data-access';
import { BillpayCompletedHandler } from './billpay-completed.handler';
import { DirectoryChangedHandler } from './directory-changed.handler';

/** payment-service's events session-service consumes: bill pay completions and charge-slab changes. */
@Module({
  imports: [SessionDataAccessModule],
  controllers: [BillpayCompletedHandler, DirectoryChangedHandler],
})
export class SessionEventsModule {}
