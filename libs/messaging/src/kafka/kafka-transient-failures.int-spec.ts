import { randomUUID } from 'node:crypto';
import { eventually } from '@npi/testing';
import { KafkaBroker } from './kafka-broker';

/**
 * A message read while the database is away is not poison. Before, the consumer tried it
 * `maxAttempts` times within a second and dead-lettered it: hcx-gateway's dispatcher, catching up on
 * its backlog after a Kafka outage with its connection pool exhausted ("timeout exceeded when trying
 * to connect"), or reading during a PostgreSQL outage, sent accepted requests to the DLQ and never
 * delivered them. Now such failures are retried until they pass, also for handed-off work.
 */
describe('KafkaBroker consumer while a dependency is away', () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
  const databaseAway = () => Object.assign(new Error('timeout exceeded when trying to connect'), { code: 'ECONNREFUSED' });
  const broker = new KafkaBroker({
    brokers,
    clientId: 'messaging-int-test-transient',
    defaultRetryBackoffMs: 20,
    isTransient: (error) => (error as { code?: string }).code === 'ECONNREFUSED',
  });
  afterAll(() => broker.close());

  it('retries handler and handed-off failures that say the database is away until they pass, and dead-letters none of them', async () => {
    const topic = `test.messaging.t${randomUUID().replace(/-/g, '')}.v1`;
    await broker.ensureTopics([topic]);
    const calls = new Map<string, number>();
    const handled: string[] = [];
    const deadLettered: string[] = [];
    const subscription = await broker.subscribe({
      groupId: `test.${randomUUID()}`,
      topics: [topic],
      maxAttempts: 2,
      observer: { deadLettered: (_topic, reason) => void deadLettered.push(reason) },
      handler: async (message) => {
        const n = (calls.get(message.value) ?? 0) + 1;
        calls.set(message.value, n);
        // "direct" fails in the handler, "handed-off" in its settled work: 5 times each, more than maxAttempts.
        if (message.value === 'direct' && n <= 5) throw databaseAway();
        if (message.value === 'handed-off') {
          return { settled: n <= 5 ? Promise.reject(databaseAway()) : Promise.resolve().then(() => void handled.push(message.value)) };
        }
        if (message.value === 'poison') throw new Error('a handler bug');
        handled.push(message.value);
        return undefined;
      },
    });
    try {
      await broker.publish(topic, [
        { key: 'a', value: 'direct' },
        { key: 'b', value: 'handed-off' },
        { key: 'c', value: 'poison' },
      ]);
      await eventually(() => expect([...handled].sort()).toEqual(['direct', 'handed-off']), { timeoutMs: 60_000 });
      await eventually(() => expect(deadLettered).toHaveLength(1), { timeoutMs: 30_000 });
      expect(deadLettered[0]).toContain('a handler bug');
      expect({ direct: calls.get('direct'), handedOff: calls.get('handed-off'), poison: calls.get('poison') }).toEqual({ direct: 6, handedOff: 6, poison: 2 });
    } finally {
      await subscription.close();
    }
  }, 120_000);
});
