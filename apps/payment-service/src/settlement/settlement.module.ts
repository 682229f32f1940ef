import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { PaymentServiceConfig } from '../config';
import type { SettlementCalendar } from '../domain/settlement-session';
import { SETTLEMENT_CALENDAR } from '../tokens';
import { AutoCreditSettlementHandler } from './auto-credit-settlement.handler';
import { SettlementService } from './settlement.service';

/** Settlement sessions (the calendar) and the credit leg's outcome (`SettlementService`, the settlement port's entry). */
@Module({
  providers: [
    {
      provide: SETTLEMENT_CALENDAR,
      useFactory: (config: PaymentServiceConfig): SettlementCalendar => ({ timeZone: config.SETTLEMENT_TIMEZONE, cutoffs: config.SETTLEMENT_SESSION_CUTOFFS }),
      inject: [SERVICE_CONFIG],
    },
    SettlementService,
  ],
  exports: [SETTLEMENT_CALENDAR, SettlementService],
})
export class SettlementModule {}

/** The default settlement connector (SETTLEMENT_AUTO_CREDIT=true); a bank connector replaces this module. */
@Module({
  imports: [SettlementModule],
  controllers: [AutoCreditSettlementHandler],
})
export class AutoCreditSettlementModule {}
