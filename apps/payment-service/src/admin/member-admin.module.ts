import { Module } from '@nestjs/common';
import { SettlementModule } from '../settlement/settlement.module';
import { PaymentAdminController } from './payment-admin.controller';
import { MemberAdminService } from './member-admin.service';

/** The operator's member registry: members, certificates, whitelist, debit caps, known accounts, reversals. */
@Module({
  imports: [SettlementModule],
  controllers: [PaymentAdminController],
  providers: [MemberAdminService],
})
export class MemberAdminModule {}
