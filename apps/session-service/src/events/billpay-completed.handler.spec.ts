import pino from 'pino';
import type { IncomingMessage } from '@npi/messaging';
import { BrokerContext } from '@npi/messaging';
import { ManualClock } from '@npi/service-runtime';
import type { BillersSessionRepository } from '@npi/session/data-access';
import { BillpayCompletedHandler } from './billpay-completed.handler';

const data = (status: 'SUCCESS' | 'FAILED') => ({
  participantCode: 'bank',
  sessionId: 'bank_1',
  batchId: 'BIL-1',
  instructionId: 'RT-1',
  amount: '10.00',
  status,
  responseCode: status === 'SUCCESS' ? '000' : 'E999',
});
const message: IncomingMessage = { topic: 'payments.billpay.completed.v1', partition: 0, offset: '0', value: '', headers: {}, attempt: 1 };
const context = (transaction: unknown) =>
  new BrokerContext([message, { eventId: 'e-1', topic: message.topic, version: 1, occurredAt: new Date().toISOString(), producer: 'payment-service', data: {} }, transaction]);

describe('BillpayCompletedHandler', () => {
  const clock = new ManualClock();
  const logger = pino({ level: 'silent' });

  it('marks the session of that batch COMPLETED inside the processed-event transaction', async () => {
    const markCompleted = jest.fn().mockResolvedValue(true);
    await new BillpayCompletedHandler({ markCompleted } as unknown as BillersSessionRepository, clock, logger).onBillpayCompleted(data('SUCCESS'), context('tx'));
    expect(markCompleted).toHaveBeenCalledWith('bank_1', 'BIL-1', clock.now(), 'tx');
  });

  it('leaves the session as it is when the payment failed', async () => {
    const markCompleted = jest.fn().mockResolvedValue(true);
    await new BillpayCompletedHandler({ markCompleted } as unknown as BillersSessionRepository, clock, logger).onBillpayCompleted(data('FAILED'), context('tx'));
    expect(markCompleted).not.toHaveBeenCalled();
  });
});
