import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PaymentsBillpayCompletedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import { BrokerContext } from '@npi/messaging';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { CLOCK, LOGGER } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { BILLERS_SESSION_REPOSITORY } from '@npi/session/data-access';
import type { BillersSessionRepository } from '@npi/session/data-access';
import type { Logger } from 'pino';

type BillpayCompleted = EventData<typeof PaymentsBillpayCompletedV1>;

/**
 * payment-service → session-service: a confirmed bill pay marks its session COMPLETED.
 * Idempotent: the processed-event mark and the state change commit in one transaction. A FAILED
 * payment leaves the session BILL_PREPARED, so the user may try again while it lives.
 */
@Controller()
export class BillpayCompletedHandler {
  constructor(
    @Inject(BILLERS_SESSION_REPOSITORY) private readonly sessions: BillersSessionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(PaymentsBillpayCompletedV1.topic, { group: 'billpay-completed', idempotent: true } satisfies BrokerEventHandlerOptions)
  async onBillpayCompleted(@Payload() data: BillpayCompleted, @Ctx() context: BrokerContext): Promise<void> {
    if (data.status !== 'SUCCESS') {
      this.logger.info({ sessionId: data.sessionId, batchId: data.batchId, responseCode: data.responseCode }, 'bill pay failed; session stays open');
      return;
    }
    const changed = await this.sessions.markCompleted(data.sessionId, data.batchId, this.clock.now(), context.getTransaction());
    this.logger.info({ batchId: data.batchId, changed }, changed ? 'billers session completed' : 'bill pay completion matched no prepared session');
  }
}
