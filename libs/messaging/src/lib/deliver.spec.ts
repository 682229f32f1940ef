import type { IncomingMessage, OutgoingMessage } from '../broker.port';
import { deliverWithRetries } from './deliver';
import type { DeliveryPolicy } from './deliver';

const message: Omit<IncomingMessage, 'attempt'> = { topic: 't.v1', partition: 0, offset: '7', key: 'k', value: '{}', headers: {} };
const databaseAway = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function policy(overrides: Partial<DeliveryPolicy> = {}) {
  const deadLetters: OutgoingMessage[] = [];
  const sleeps: number[] = [];
  const value: DeliveryPolicy = {
    maxAttempts: 3,
    retryBackoffMs: 100,
    maxTransientBackoffMs: 1_000,
    publishDeadLetter: async (_topic, dead) => void deadLetters.push(dead),
    sleep: async (ms) => void sleeps.push(ms),
    isTransient: (error) => (error as { code?: string }).code === 'ECONNREFUSED',
    ...overrides,
  };
  return { value, deadLetters, sleeps };
}

describe('deliverWithRetries', () => {
  it('retries a failure that says the database is away for as long as it lasts (capped backoff), never dead-letters it', async () => {
    const { value, deadLetters, sleeps } = policy();
    let calls = 0;
    await deliverWithRetries(message, async () => {
      calls += 1;
      if (calls <= 6) throw databaseAway();
    }, value);
    expect(calls).toBe(7);
    expect(sleeps).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(deadLetters).toEqual([]);
  });

  it('leaves a transiently failing message uncommitted once the consumer stops (it is delivered again)', async () => {
    let running = true;
    const { value, deadLetters } = policy({ isRunning: () => running, sleep: async () => void (running = false) });
    await expect(deliverWithRetries(message, async () => Promise.reject(databaseAway()), value)).rejects.toThrow('ECONNREFUSED');
    expect(deadLetters).toEqual([]);
  });

  it('still dead-letters other failures after maxAttempts', async () => {
    const { value, deadLetters } = policy();
    let calls = 0;
    await deliverWithRetries(message, async () => {
      calls += 1;
      throw new Error('handler bug');
    }, value);
    expect(calls).toBe(3);
    expect(deadLetters.map((dead) => dead.headers?.['dlq-reason'])).toEqual(['Error: handler bug']);
  });
});
