import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { BillersBillPreparedV1 } from '@npi/kafka-contracts';
import { MESSAGE_BROKER, subscribeToEvent } from '@npi/messaging';
import type { MessageBroker, ProcessedEventLog, Subscription } from '@npi/messaging';
import { PREPARED_BILL_REPOSITORY, PROCESSED_EVENTS } from '@npi/payment/data-access';
import type { PreparedBillRepository } from '@npi/payment/data-access';
import { LOGGER, SERVICE_CONFIG } from '@npi/service-runtime';
import type { PaymentServiceConfig } from '../config';
import { canonical } from '../domain/money';

/**
 * Learns the bills live NPI Billers sessions prepared (`billers.bill.prepared.v1`, from
 * session-service): only these may be confirmed. One consumer group for all replicas (the bills
 * land in the shared database); idempotent by event id and by (participant, batchId).
 */
@Injectable()
export class BillPreparedConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(PREPARED_BILL_REPOSITORY) private readonly bills: PreparedBillRepository,
    @Inject(PROCESSED_EVENTS) private readonly processed: ProcessedEventLog,
    @Inject(SERVICE_CONFIG) private readonly config: PaymentServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await subscribeToEvent(this.broker, {
      groupId: `${this.config.PAYMENT_CONSUMER_GROUP_PREFIX ?? 'payment-service'}.bill-prepared`,
      contract: BillersBillPreparedV1,
      processedEvents: this.processed,
      handler: async ({ data }) => {
        await this.bills.remember({
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
        });
        this.logger.debug({ participantCode: data.participantCode, batchId: data.batchId }, 'bill prepared');
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }
}
