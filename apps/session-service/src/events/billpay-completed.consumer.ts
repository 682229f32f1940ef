import { PrismaProcessedEventLog } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { PaymentsBillpayCompletedV1 } from '@npi/kafka-contracts';
import type { EventData, EventEnvelope } from '@npi/kafka-contracts';
import { subscribeToEvent } from '@npi/messaging';
import type { MessageBroker, Subscription } from '@npi/messaging';
import type { Clock } from '@npi/service-runtime';
import type { SessionStore } from '@npi/session/data-access';
import type { Logger } from 'pino';

export const BILLPAY_COMPLETED_GROUP = 'session-service.billpay-completed';

type Completed = EventData<typeof PaymentsBillpayCompletedV1>;

/**
 * payment-service → session-service: a confirmed bill pay marks its session COMPLETED (issue #4).
 * Idempotent: the processed-event row and the state change commit together. A FAILED payment
 * leaves the session BILL_PREPARED, so the user may try again while it lives.
 */
export function handleBillpayCompleted(sessions: SessionStore, clock: Clock, logger: Logger) {
  return async (event: EventEnvelope<Completed>, transaction?: unknown): Promise<void> => {
    const data = event.data;
    if (data.status !== 'SUCCESS') {
      logger.info({ sessionId: data.sessionId, batchId: data.batchId, responseCode: data.responseCode }, 'bill pay failed; session stays open');
      return;
    }
    const changed = await sessions.markCompleted(data.sessionId, data.batchId, clock.now(), transaction);
    logger.info({ batchId: data.batchId, changed }, changed ? 'billers session completed' : 'bill pay completion matched no prepared session');
  };
}

export function subscribeBillpayCompleted(deps: {
  broker: MessageBroker;
  prisma: PrismaClient;
  sessions: SessionStore;
  clock: Clock;
  logger: Logger;
}): Promise<Subscription> {
  const processed = new PrismaProcessedEventLog(deps.prisma, 'session');
  const handle = handleBillpayCompleted(deps.sessions, deps.clock, deps.logger);
  return subscribeToEvent(deps.broker, {
    groupId: BILLPAY_COMPLETED_GROUP,
    contract: PaymentsBillpayCompletedV1,
    // Run through the processed-event log here (not the subscription option) so the effect gets
    // its transaction: the mark and the state change commit together, or neither does.
    handler: async (event) => {
      await processed.runOnce(BILLPAY_COMPLETED_GROUP, event.eventId, (tx) => handle(event, tx));
    },
  });
}
