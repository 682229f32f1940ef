import pino from 'pino';
import { ManualClock } from '@npi/service-runtime';
import type { SessionStore } from '@npi/session/data-access';
import { handleBillpayCompleted } from './billpay-completed.consumer';

const event = (status: 'SUCCESS' | 'FAILED') => ({
  eventId: 'e-1',
  topic: 'payments.billpay.completed.v1',
  version: 1,
  occurredAt: new Date().toISOString(),
  producer: 'payment-service',
  data: { participantCode: 'bank', sessionId: 'bank_1', batchId: 'BIL-1', instructionId: 'RT-1', amount: '10.00', status, responseCode: status === 'SUCCESS' ? '000' : 'E999' },
});

describe('handleBillpayCompleted', () => {
  const clock = new ManualClock();
  const logger = pino({ level: 'silent' });

  it('marks the session of that batch COMPLETED inside the consumer transaction', async () => {
    const markCompleted = jest.fn().mockResolvedValue(true);
    await handleBillpayCompleted({ markCompleted } as unknown as SessionStore, clock, logger)(event('SUCCESS'), 'tx');
    expect(markCompleted).toHaveBeenCalledWith('bank_1', 'BIL-1', clock.now(), 'tx');
  });

  it('leaves the session as it is when the payment failed', async () => {
    const markCompleted = jest.fn().mockResolvedValue(true);
    await handleBillpayCompleted({ markCompleted } as unknown as SessionStore, clock, logger)(event('FAILED'), 'tx');
    expect(markCompleted).not.toHaveBeenCalled();
  });
});
