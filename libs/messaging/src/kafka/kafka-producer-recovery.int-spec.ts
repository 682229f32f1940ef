import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners } from 'kafkajs';
import { KafkaBroker } from './kafka-broker';

/**
 * A send the broker answers for some partitions and refuses for others (a leader election during a
 * broker restart, a broker stopping between append and answer) must not wedge the producer.
 * kafkajs rolls back the idempotent sequence of every partition of the failed request, also of the
 * partition the broker appended. The next send there reuses that sequence: with as many records
 * it is acknowledged as a duplicate and never written (lost while the outbox marks it published),
 * with another count it is refused with OUT_OF_ORDER_SEQUENCE_NUMBER, as is every send after it
 * until the process restarts (the outbox stops draining after a Kafka outage). Reproduced on the
 * real broker with a partial failure that is deterministic: one partition's record is too large.
 */
describe('KafkaBroker producer after a partly failed send', () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
  const kafka = new Kafka({ clientId: 'messaging-int-test-recovery-admin', brokers, logLevel: 0 });
  const broker = new KafkaBroker({ brokers, clientId: 'messaging-int-test-recovery' });
  afterAll(() => broker.close());

  /** A key the producer's partitioner puts on `partition` of a 2-partition topic. */
  function keyFor(topic: string, partition: number): string {
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1].map((partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0, offlineReplicas: [] }));
    for (let i = 0; ; i += 1) {
      const key = `key-${i}`;
      if (partitioner({ topic, partitionMetadata, message: { key, value: '' } }) === partition) return key;
    }
  }

  it('sends again once a send failed on one partition after another partition was appended', async () => {
    const topic = `test.messaging.r${randomUUID().replace(/-/g, '')}.v1`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] }] });
    } finally {
      await admin.disconnect();
    }
    const onZero = keyFor(topic, 0);
    const onOne = keyFor(topic, 1);

    await broker.publish(topic, [{ key: onZero, value: 'first' }]);
    // Partition 0 appends, partition 1 refuses (MESSAGE_TOO_LARGE): the send as a whole fails.
    await expect(broker.publish(topic, [{ key: onZero, value: 'second' }, { key: onOne, value: 'x'.repeat(20_000) }])).rejects.toThrow();
    // Same count as the appended "second": without a new producer it is acknowledged as a duplicate and dropped.
    await broker.publish(topic, [{ key: onZero, value: 'third' }]);
    await broker.publish(topic, [{ key: onZero, value: 'fourth' }, { key: onOne, value: 'small' }]);

    const consumer = kafka.consumer({ groupId: `test.${randomUUID()}` });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
      const deadline = Date.now() + 60_000;
      while (seen.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await consumer.disconnect();
    }
    expect(seen.filter((value) => value !== 'small')).toEqual(['first', 'second', 'third', 'fourth']);
    expect(seen).toContain('small');
  }, 120_000);
});
