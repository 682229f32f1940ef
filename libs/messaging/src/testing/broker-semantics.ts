/**
 * The semantics both broker adapters must share, as one suite: the in-process adapter runs it in
 * the unit tier, the Kafka adapter against the real broker in the integration tier.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { deadLetterTopicOf, defineEvent, encodeEvent } from '@npi/kafka-contracts';
import { eventually } from '@npi/testing';
import type { IncomingMessage, MessageBroker } from '../broker.port';
import { PoisonMessageError } from '../errors';
import { InMemoryProcessedEventLog, publishEvent, subscribeToEvent } from '../events';

/** `partitions`: of the topics the broker creates (the concurrency cases use one, so every message shares it). */
export type MakeBroker = (options?: { partitions?: number }) => MessageBroker;

export function describeBrokerSemantics(name: string, makeBroker: MakeBroker, timeoutMs = 30_000): void {
  describe(`${name}: broker semantics`, () => {
    let broker: MessageBroker;
    let topic: string;
    const group = () => `test.${randomUUID()}`;

    beforeAll(async () => {
      broker = makeBroker();
      await broker.ping();
    }, timeoutMs);
    afterAll(async () => broker.close(), timeoutMs);
    beforeEach(async () => {
      topic = `test.messaging.t${randomUUID().replace(/-/g, '')}.v1`;
      await broker.ensureTopics([topic, deadLetterTopicOf(topic)]);
    }, timeoutMs);

    it('delivers every message at least once and keeps per-key order', async () => {
      const received: IncomingMessage[] = [];
      const subscription = await broker.subscribe({ groupId: group(), topics: [topic], handler: async (m) => void received.push(m) });
      const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 3}`, value: String(i) }));
      await broker.publish(topic, messages);
      await eventually(() => expect(new Set(received.map((m) => m.value)).size).toBe(30), { timeoutMs });
      for (const key of ['k0', 'k1', 'k2']) {
        const values = received.filter((m) => m.key === key).map((m) => Number(m.value));
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
      await subscription.close();
    }, timeoutMs);

    it('reports a subscription caught up only once it handled every message that existed when it subscribed', async () => {
      await broker.publish(topic, Array.from({ length: 12 }, (_, i) => ({ key: `k${i % 4}`, value: String(i) })));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      const subscription = await broker.subscribe({
        groupId: group(),
        topics: [topic],
        handler: async (m) => {
          await gate;
          handled.push(m.value);
        },
      });
      expect(subscription.isCaughtUp()).toBe(false);
      release();
      await eventually(() => expect(subscription.isCaughtUp()).toBe(true), { timeoutMs });
      expect(new Set(handled).size).toBe(12);
      const fresh = await broker.subscribe({ groupId: group(), topics: [`${topic}.dlq`], handler: async () => undefined });
      expect(fresh.isCaughtUp()).toBe(true); // nothing to read: an empty topic is caught up at once
      await Promise.all([subscription.close(), fresh.close()]);
    }, timeoutMs);

    it('retries a failing handler, then succeeds', async () => {
      const attempts: number[] = [];
      const subscription = await broker.subscribe({
        groupId: group(),
        topics: [topic],
        retryBackoffMs: 10,
        handler: async (m) => {
          attempts.push(m.attempt);
          if (m.attempt < 3) throw new Error('transient');
        },
      });
      await broker.publish(topic, [{ key: 'a', value: 'x' }]);
      await eventually(() => expect(attempts).toEqual([1, 2, 3]), { timeoutMs });
      await subscription.close();
    }, timeoutMs);

    it('dead-letters poison messages at once and exhausted retries after maxAttempts', async () => {
      const dead: IncomingMessage[] = [];
      const dlq = await broker.subscribe({ groupId: group(), topics: [deadLetterTopicOf(topic)], handler: async (m) => void dead.push(m) });
      let calls = 0;
      const subscription = await broker.subscribe({
        groupId: group(),
        topics: [topic],
        maxAttempts: 2,
        retryBackoffMs: 10,
        handler: async (m) => {
          calls += 1;
          if (m.value === 'poison') throw new PoisonMessageError('cannot parse');
          if (m.value === 'broken') throw new Error('always fails');
        },
      });
      await broker.publish(topic, [{ key: 'p', value: 'poison' }, { key: 'p', value: 'broken' }, { key: 'p', value: 'fine' }]);
      await eventually(() => expect(dead.map((m) => m.value).sort()).toEqual(['broken', 'poison']), { timeoutMs });
      // 'fine' follows 'broken' on the same key, so it is handled just after the dead-letter publish.
      await eventually(() => expect(calls).toBe(1 + 2 + 1), { timeoutMs });
      const poison = dead.find((m) => m.value === 'poison')!;
      expect(poison.headers['dlq-original-topic']).toBe(topic);
      expect(poison.headers['dlq-reason']).toContain('ERR_POISON_MESSAGE');
      await subscription.close();
      await dlq.close();
    }, timeoutMs);

    it('resumes a consumer group after a restart: nothing lost, nothing applied twice', async () => {
      const contract = defineEvent(topic, z.object({ n: z.number() }).strict());
      const groupId = group();
      const processed = new InMemoryProcessedEventLog();
      const applied: number[] = [];
      const subscribe = () =>
        subscribeToEvent(broker, { groupId, contract, processedEvents: processed, handler: async (e) => void applied.push(e.data.n) });
      let subscription = await subscribe();
      for (let n = 0; n < 5; n += 1) await publishEvent(broker, contract, { n }, { producer: 'test', key: 'same' });
      await eventually(() => expect(applied).toHaveLength(5), { timeoutMs });
      await subscription.close();
      for (let n = 5; n < 10; n += 1) await publishEvent(broker, contract, { n }, { producer: 'test', key: 'same' });
      // A redelivered event (same event id) must not be applied again.
      const duplicate = encodeEvent(contract, { n: 4 }, { producer: 'test', key: 'same', eventId: 'fixed-id' });
      await broker.publish(topic, [duplicate, duplicate]);
      subscription = await subscribe();
      await eventually(() => expect(applied).toHaveLength(11), { timeoutMs });
      expect(applied).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4]);
      await subscription.close();
    }, timeoutMs * 2);

    it('lets later messages flow while a handed-off one is pending, and dead-letters a hand-off that fails', async () => {
      const dead: IncomingMessage[] = [];
      const dlq = await broker.subscribe({ groupId: group(), topics: [deadLetterTopicOf(topic)], handler: async (m) => void dead.push(m) });
      const seen: string[] = [];
      let release = () => undefined as void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const subscription = await broker.subscribe({
        groupId: group(),
        topics: [topic],
        handler: async (m) => {
          seen.push(m.value);
          if (m.value === 'slow') return { settled: gate };
          if (m.value === 'doomed') return { settled: Promise.reject(new Error('recipient gone')) };
          return undefined;
        },
      });
      await broker.publish(topic, [{ key: 'a', value: 'slow' }, { key: 'a', value: 'next' }, { key: 'b', value: 'doomed' }]);
      await eventually(() => expect([...seen].sort()).toEqual(['doomed', 'next', 'slow']), { timeoutMs });
      await eventually(() => expect(dead.map((m) => m.value)).toEqual(['doomed']), { timeoutMs });
      expect(dead[0].headers['dlq-reason']).toContain('recipient gone');
      release();
      await subscription.close();
      await dlq.close();
    }, timeoutMs);

    it('dead-letters a message that violates its contract', async () => {
      const contract = defineEvent(topic, z.object({ n: z.number() }).strict());
      const dead: IncomingMessage[] = [];
      const dlq = await broker.subscribe({ groupId: group(), topics: [deadLetterTopicOf(topic)], handler: async (m) => void dead.push(m) });
      const handled: number[] = [];
      const subscription = await subscribeToEvent(broker, { groupId: group(), contract, handler: async (e) => void handled.push(e.data.n) });
      await broker.publish(topic, [{ value: '{"not":"an envelope"}' }]);
      await publishEvent(broker, contract, { n: 1 }, { producer: 'test' });
      await eventually(() => expect(dead).toHaveLength(1), { timeoutMs });
      await eventually(() => expect(handled).toEqual([1]), { timeoutMs });
      expect(dead[0].headers['dlq-reason']).toContain('ERR_CONTRACT_VIOLATION');
      await subscription.close();
      await dlq.close();
    }, timeoutMs);
  });
  describe(`${name}: concurrency within one partition`, () => {
    let broker: MessageBroker;
    let topic: string;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    beforeAll(async () => {
      broker = makeBroker({ partitions: 1 });
      await broker.ping();
    }, timeoutMs);
    afterAll(async () => broker.close(), timeoutMs);
    beforeEach(async () => {
      topic = `test.messaging.c${randomUUID().replace(/-/g, '')}.v1`;
      await broker.ensureTopics([topic, deadLetterTopicOf(topic)]);
    }, timeoutMs);

    it('handles messages of different keys at once', async () => {
      let started = 0;
      let bothStarted!: () => void;
      const barrier = new Promise<void>((resolve) => (bothStarted = resolve));
      const overlapped: boolean[] = [];
      const subscription = await broker.subscribe({
        groupId: `test.${randomUUID()}`,
        topics: [topic],
        handler: async () => {
          started += 1;
          if (started === 2) bothStarted();
          // Each waits for the other to start: handled one at a time, neither would see it.
          await Promise.race([barrier, sleep(1_000)]);
          overlapped.push(started === 2);
        },
      });
      await broker.publish(topic, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
      await eventually(() => expect(overlapped).toEqual([true, true]), { timeoutMs });
      await subscription.close();
    }, timeoutMs);

    it('keeps each key to one message at a time in offset order, and at most maxInFlight at once', async () => {
      let inFlight = 0;
      let mostInFlight = 0;
      const keysInFlight = new Set<string>();
      const overlaps: string[] = [];
      const handled: IncomingMessage[] = [];
      const subscription = await broker.subscribe({
        groupId: `test.${randomUUID()}`,
        topics: [topic],
        maxInFlight: 2,
        handler: async (m) => {
          const key = m.key ?? '';
          if (keysInFlight.has(key)) overlaps.push(key);
          keysInFlight.add(key);
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          await sleep(15);
          inFlight -= 1;
          keysInFlight.delete(key);
          handled.push(m);
        },
      });
      await broker.publish(topic, Array.from({ length: 16 }, (_, i) => ({ key: `k${i % 4}`, value: String(i) })));
      await eventually(() => expect(handled).toHaveLength(16), { timeoutMs });
      expect(overlaps).toEqual([]);
      expect(mostInFlight).toBe(2);
      for (const key of ['k0', 'k1', 'k2', 'k3']) {
        const values = handled.filter((m) => m.key === key).map((m) => Number(m.value));
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
      await subscription.close();
    }, timeoutMs);

    it('moves the committed offset past a message only once it and every earlier one are handled', async () => {
      await broker.publish(topic, [{ key: 'slow', value: 'slow' }, ...Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `fast${i}` }))]);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      const subscription = await broker.subscribe({
        groupId: `test.${randomUUID()}`,
        topics: [topic],
        handler: async (m) => {
          if (m.value === 'slow') await gate;
          handled.push(m.value);
        },
      });
      await eventually(() => expect(handled).toHaveLength(5), { timeoutMs });
      // Everything after the first message is done; the first is not, so the group is not caught up.
      await sleep(100);
      expect(subscription.isCaughtUp()).toBe(false);
      release();
      await eventually(() => expect(subscription.isCaughtUp()).toBe(true), { timeoutMs });
      expect(handled[5]).toBe('slow');
      await subscription.close();
    }, timeoutMs);
  });
}
