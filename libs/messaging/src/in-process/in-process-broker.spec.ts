import { randomUUID } from 'node:crypto';
import { eventually } from '@npi/testing';
import { describeBrokerSemantics } from '../testing/broker-semantics';
import { InProcessBroker } from './in-process-broker';

describeBrokerSemantics('InProcessBroker', (options) => new InProcessBroker(options), 5_000);

describe('InProcessBroker: a member leaving its group', () => {
  it('waits for its messages in flight and hands the partition over at the committed offset: nothing skipped', async () => {
    const broker = new InProcessBroker({ partitions: 1 });
    const topic = `test.messaging.${randomUUID()}.v1`;
    const groupId = `test.${randomUUID()}`;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first: string[] = [];
    const second: string[] = [];
    const leaving = await broker.subscribe({
      groupId,
      topics: [topic],
      maxInFlight: 2,
      handler: async (m) => {
        first.push(m.value);
        if (m.value === 'slow') await gate;
      },
    });
    const staying = await broker.subscribe({ groupId, topics: [topic], handler: async (m) => void second.push(m.value) });
    // One partition, owned by the first member: 'slow' and 'other' run at once, 'after' waits for 'slow' (same key).
    await broker.publish(topic, [{ key: 's', value: 'slow' }, { key: 'o', value: 'other' }, { key: 's', value: 'after' }]);
    await eventually(() => expect(first).toEqual(['slow', 'other']));
    let closed = false;
    const closing = leaving.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false); // 'slow' is still being handled
    expect(second).toEqual([]); // and nothing after it was committed or handed over yet
    release();
    await closing;
    await eventually(() => expect(second).toEqual(['after']));
    expect(first).toEqual(['slow', 'other']);
    await staying.close();
    await broker.close();
  });
});
