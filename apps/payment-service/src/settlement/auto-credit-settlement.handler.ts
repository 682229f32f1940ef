import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PaymentsBatchAcceptedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { SettlementService } from './settlement.service';

/**
 * The default settlement connector (SETTLEMENT_AUTO_CREDIT=true): every accepted transaction is
 * credited (ACSC, code 000). Settlement is outside this system; a real bank connector replaces this
 * handler with its own handler of `payments.batch.accepted.v1` that calls
 * `SettlementService.recordOutcome` with what the bank said.
 */
@Controller()
export class AutoCreditSettlementHandler {
  constructor(private readonly settlement: SettlementService) {}

  @EventPattern(PaymentsBatchAcceptedV1.topic, { group: 'settlement' } satisfies BrokerEventHandlerOptions)
  async onBatchAccepted(@Payload() data: EventData<typeof PaymentsBatchAcceptedV1>): Promise<void> {
    await this.settlement.recordOutcome(data.memberCode, data.batchId, (instructionId) => ({ instructionId, creditStatus: 'ACSC', responseCode: '000', responseMessage: 'SUCCESS' }));
  }
}
