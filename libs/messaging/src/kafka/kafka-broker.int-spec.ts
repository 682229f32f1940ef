import { randomUUID } from 'node:crypto';
import { eventually } from '@npi/testing';
import { describeBrokerSemantics } from '../testing/broker-semantics';
import { KafkaBroker } from './kafka-broker';

// The real broker started by the jest global setup (tools/kafka), never a mock.
describeBrokerSemantics(
  'KafkaBroker',
  (options) => new KafkaBroker({ brokers: (process.env.KAFKA_BROKERS ?? '').split(','), clientId: 'messaging-int-test', defaultRetryBackoffMs: 20, ...options }),
  60_000,
);

describe('KafkaBroker hand-off', () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
  const broker = new KafkaBroker({ brokers, clientId: 'messaging-int-test-handoff', defaultRetryBackoffMs: 20 });
  afterAll(() => broker.close());

  it('commits a handed-off message only once it settles: after a restart it and everything behind it come again', async () => {
    const topic = `test.messaging.h${randomUUID().replace(/-/g, '')}.v1`;
    await broker.ensureTopics([topic]);
    const groupId = `test.${randomUUID()}`;
    const seen: string[] = [];
    let subscription = await broker.subscribe({
      groupId,
      topics: [topic],
      handler: async (m) => {
        seen.push(m.value);
        // Never settles in this run: as if the process stopped with the delivery still pending.
        if (m.value === 'pending') return { settled: new Promise<void>(() => undefined) };
        return undefined;
      },
    });
    await broker.publish(topic, [{ key: 'k', value: 'pending' }, { key: 'k', value: 'after' }]);
    await eventually(() => expect(seen).toEqual(['pending', 'after']), { timeoutMs: 60_000 });
    await subscription.close();

    const again: string[] = [];
    subscription = await broker.subscribe({ groupId, topics: [topic], handler: async (m) => void again.push(m.value) });
    await eventually(() => expect(again).toEqual(['pending', 'after']), { timeoutMs: 60_000 });
    await subscription.close();

    // Both settled now: a third member of the group gets nothing.
    const third: string[] = [];
    subscription = await broker.subscribe({ groupId, topics: [topic], handler: async (m) => void third.push(m.value) });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(third).toEqual([]);
    await subscription.close();
  }, 120_000);
});
