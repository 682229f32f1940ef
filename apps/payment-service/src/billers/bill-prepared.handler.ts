import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import { BillersBillPreparedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import { BrokerContext } from '@npi/messaging';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { PREPARED_BILL_REPOSITORY } from '@npi/payment/data-access';
import type { PreparedBillRepository } from '@npi/payment/data-access';
import { LOGGER } from '@npi/service-runtime';
import { canonical } from '../domain/money';

type BillPrepared = EventData<typeof BillersBillPreparedV1>;

/**
 * Learns the bills live NPI Billers sessions prepared (`billers.bill.prepared.v1`, from
 * session-service): only these may be confirmed. One consumer group for all replicas (the bills
 * land in the shared database); idempotent by event id and by (participant, batchId).
 */
@Controller()
export class BillPreparedHandler {
  constructor(
    @Inject(PREPARED_BILL_REPOSITORY) private readonly bills: PreparedBillRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(BillersBillPreparedV1.topic, { group: 'bill-prepared', idempotent: true } satisfies BrokerEventHandlerOptions)
  async onBillPrepared(@Payload() data: BillPrepared, @Ctx() context: BrokerContext): Promise<void> {
    await this.bills.remember(
      {
        participantCode: data.participantCode,
        sessionId: data.sessionId,
        batchId: data.batchId,
        instructionId: data.instructionId,
        endToEndId: data.endToEndId ?? null,
        transactionId: data.transactionId ?? null,
        appId: data.appId ?? null,
        refId: data.refId ?? null,
        amount: canonical(data.amount, 'amount'),
        billerCode: data.billerCode,
        creditorAgent: data.creditorAgent ?? null,
        creditorBranch: data.creditorBranch ?? null,
        creditorAccount: data.creditorAccount ?? null,
        expiresAt: new Date(data.expiresAt),
      },
      context.getTransaction(),
    );
    this.logger.debug({ participantCode: data.participantCode, batchId: data.batchId }, 'bill prepared');
  }
}
