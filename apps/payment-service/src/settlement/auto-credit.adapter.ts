import { Inject, Injectable } from '@nestjs/common';
import { PaymentsBatchAcceptedV1 } from '@npi/kafka-contracts';
import { MESSAGE_BROKER, subscribeToEvent } from '@npi/messaging';
import type { MessageBroker, Subscription } from '@npi/messaging';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { PaymentServiceConfig } from '../config';
import type { SettlementAdapter } from './settlement.port';
import { SettlementService } from './settlement.service';

/** The default settlement adapter: every accepted transaction is credited (ACSC, code 000). */
@Injectable()
export class AutoCreditSettlement implements SettlementAdapter {
  private subscription?: Subscription;

  constructor(
    @Inject(MESSAGE_BROKER) private readonly broker: MessageBroker,
    @Inject(SERVICE_CONFIG) private readonly config: PaymentServiceConfig,
    private readonly settlement: SettlementService,
  ) {}

  async start(): Promise<void> {
    this.subscription = await subscribeToEvent(this.broker, {
      groupId: `${this.config.PAYMENT_CONSUMER_GROUP_PREFIX ?? 'payment-service'}.settlement`,
      contract: PaymentsBatchAcceptedV1,
      handler: async ({ data }) => {
        await this.settlement.recordOutcome(data.memberCode, data.batchId, (instructionId) => ({ instructionId, creditStatus: 'ACSC', responseCode: '000', responseMessage: 'SUCCESS' }));
      },
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }
}
