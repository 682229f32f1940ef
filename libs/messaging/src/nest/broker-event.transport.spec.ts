import { Controller, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { AuthAuditRecordedV1, AuthClientUpdatedV1, AuthTokenRevokedV1, deadLetterTopicOf, encodeEvent } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import { ReadinessRegistry, currentCorrelationId } from '@npi/observability';
import { eventually } from '@npi/testing';
import { PoisonMessageError } from '../errors';
import { InMemoryProcessedEventLog, publishEvent } from '../events';
import type { ProcessedEventLog } from '../events';
import { InProcessBroker } from '../in-process/in-process-broker';
import type { ConsumerObserver, HandedOff, IncomingMessage } from '../broker.port';
import { BrokerContext } from './broker-context';
import type { BrokerEventTransportOptions } from './broker-event.transport';
import { connectBrokerEvents } from './connect-broker-events';

type Revoked = EventData<typeof AuthTokenRevokedV1>;

const revoked = (jti: string): Revoked => ({ reason: 'revoked', jtis: [jti], expiresAt: new Date(Date.now() + 60_000).toISOString() });

interface Seen {
  data: Revoked;
  topic: string;
  attempt: number;
  messageId: string;
  transaction: unknown;
}

async function startApp(
  broker: InProcessBroker,
  controller: new () => unknown,
  processedEvents?: ProcessedEventLog,
  more: Partial<BrokerEventTransportOptions> = {},
): Promise<INestApplication> {
  @Module({ controllers: [controller] })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { logger: false, abortOnError: false });
  connectBrokerEvents(app, { broker, processedEvents, groupPrefix: 'transport-spec', ...more });
  await app.init();
  await app.startAllMicroservices();
  return app;
}

describe('BrokerEventTransport (@EventPattern over the broker port)', () => {
  let broker: InProcessBroker;
  const apps: INestApplication[] = [];

  beforeEach(() => {
    broker = new InProcessBroker({ defaultRetryBackoffMs: 1, defaultMaxAttempts: 3 });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await broker.close();
  });

  it('hands the validated data to @Payload() and topic, attempt and event id to @Ctx()', async () => {
    const seen: Seen[] = [];
    @Controller()
    class RevocationHandler {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.revocations' })
      async onRevoked(@Payload() data: Revoked, @Ctx() ctx: BrokerContext) {
        seen.push({ data, topic: ctx.getTopic(), attempt: ctx.getAttempt(), messageId: ctx.getMessageId(), transaction: ctx.getTransaction() });
      }
    }
    apps.push(await startApp(broker, RevocationHandler));
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-1'), { producer: 'test', eventId: 'event-1' });
    await eventually(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ data: { jtis: ['jti-1'] }, topic: AuthTokenRevokedV1.topic, attempt: 1, messageId: 'event-1', transaction: undefined });
  });

  it("tells the service's observer of each dead letter and of the consumer's lag, by handler group", async () => {
    const dead: string[] = [];
    const lags: number[] = [];
    @Controller()
    class PoisonedHandler {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.observed' })
      async onRevoked(@Payload() data: Revoked) {
        if (data.jtis[0] === 'poison') throw new PoisonMessageError('cannot apply');
      }
    }
    const observerFor = (group: string): ConsumerObserver => ({
      deadLettered: (topic, reason) => dead.push(`${group} ${topic} ${reason}`),
      lag: (_topic, _partition, lag) => lags.push(lag),
    });
    apps.push(await startApp(broker, PoisonedHandler, undefined, { observerFor }));
    await publishEvent(broker, AuthTokenRevokedV1, revoked('fine'), { producer: 'test', key: 'k' });
    await publishEvent(broker, AuthTokenRevokedV1, revoked('poison'), { producer: 'test', key: 'k' });
    await eventually(() => expect(dead).toEqual([`transport-spec.test.observed ${AuthTokenRevokedV1.topic} ERR_POISON_MESSAGE: cannot apply`]));
    await broker.drain();
    expect(lags.length).toBeGreaterThanOrEqual(2);
    expect(lags.at(-1)).toBe(0);
  });

  it('runs the handler in the log context of the event\'s correlation id (the request that caused it)', async () => {
    const seen: (string | undefined)[] = [];
    @Controller()
    class CorrelatedHandler {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.correlated' })
      async onRevoked() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(currentCorrelationId());
      }
    }
    apps.push(await startApp(broker, CorrelatedHandler));
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-c'), { producer: 'test', correlationId: 'request-42' });
    await eventually(() => expect(seen).toEqual(['request-42']));
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('leaves the modules\' init and bootstrap hooks to the application: they run once', async () => {
    let inits = 0;
    let bootstraps = 0;
    @Controller()
    class HookedHandler {
      onModuleInit() {
        inits += 1;
      }
      onApplicationBootstrap() {
        bootstraps += 1;
      }
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.hooks' })
      async onRevoked(): Promise<void> {
        return undefined;
      }
    }
    apps.push(await startApp(broker, HookedHandler));
    expect({ inits, bootstraps }).toEqual({ inits: 1, bootstraps: 1 });
  });

  it('retries a handler that throws, with the attempt counted', async () => {
    const attempts: number[] = [];
    @Controller()
    class FlakyHandler {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.flaky' })
      async onRevoked(@Payload() _data: Revoked, @Ctx() ctx: BrokerContext) {
        attempts.push(ctx.getAttempt());
        if (ctx.getAttempt() < 2) throw new Error('database blip');
      }
    }
    apps.push(await startApp(broker, FlakyHandler));
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-2'), { producer: 'test' });
    await eventually(() => expect(attempts).toEqual([1, 2]));
  });

  it('dead-letters a poison message at once and a contract violation without calling the handler', async () => {
    const calls: string[] = [];
    const dead: IncomingMessage[] = [];
    await broker.subscribe({ groupId: 'test.dlq', topics: [deadLetterTopicOf(AuthTokenRevokedV1.topic)], handler: async (m) => void dead.push(m) });
    @Controller()
    class PoisonHandler {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.poison', maxAttempts: 5 })
      async onRevoked(@Payload() data: Revoked) {
        calls.push(data.jtis[0]);
        throw new PoisonMessageError('never valid');
      }
    }
    apps.push(await startApp(broker, PoisonHandler));
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-3'), { producer: 'test' });
    const junk = encodeEvent(AuthTokenRevokedV1, revoked('jti-4'), { producer: 'test' });
    await broker.publish(AuthTokenRevokedV1.topic, [{ ...junk, value: junk.value.replace('["jti-4"]', '42') }]);
    await eventually(() => expect(dead).toHaveLength(2));
    expect(calls).toEqual(['jti-3']);
  });

  it('applies an event id once per group when idempotent, handing the handler the log transaction', async () => {
    const transactions: unknown[] = [];
    const inner = new InMemoryProcessedEventLog();
    const log: ProcessedEventLog = {
      runOnce: (consumer, eventId, effect) => inner.runOnce(consumer, eventId, () => effect(`tx-of-${eventId}`)),
    };
    @Controller()
    class IdempotentHandler {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.once', idempotent: true })
      async onRevoked(@Payload() _data: Revoked, @Ctx() ctx: BrokerContext) {
        transactions.push(ctx.getTransaction());
      }
    }
    apps.push(await startApp(broker, IdempotentHandler, log));
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-5'), { producer: 'test', eventId: 'same' });
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-5'), { producer: 'test', eventId: 'same' });
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-6'), { producer: 'test', eventId: 'other' });
    await eventually(() => expect([...transactions].sort()).toEqual(['tx-of-other', 'tx-of-same']), { timeoutMs: 3000 });
  });

  it('gives every replica every event with perInstance groups', async () => {
    const perInstance: string[] = [];
    @Controller()
    class RevocationCache {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.cache', perInstance: true })
      async cache(@Payload() data: Revoked) {
        perInstance.push(data.jtis[0]);
      }
    }
    apps.push(await startApp(broker, RevocationCache), await startApp(broker, RevocationCache));
    await publishEvent(broker, AuthTokenRevokedV1, revoked('jti-7'), { producer: 'test' });
    await eventually(() => expect(perInstance).toEqual(['jti-7', 'jti-7']));
  });

  it('lets a handler hand a message off: later messages flow on, and a hand-off that fails is dead-lettered', async () => {
    const started: string[] = [];
    const finish = new Map<string, (error?: Error) => void>();
    const dead: IncomingMessage[] = [];
    await broker.subscribe({ groupId: 'test.hand-off-dlq', topics: [deadLetterTopicOf(AuthTokenRevokedV1.topic)], handler: async (m) => void dead.push(m) });
    @Controller()
    class HandingOff {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.hand-off' })
      onRevoked(@Payload() data: Revoked): HandedOff {
        const jti = data.jtis[0];
        started.push(jti);
        return { settled: new Promise<void>((resolve, reject) => finish.set(jti, (error) => (error ? reject(error) : resolve()))) };
      }
    }
    apps.push(await startApp(broker, HandingOff));
    // Same key: without the hand-off the second would wait for the first to finish.
    for (const jti of ['h-1', 'h-2']) await publishEvent(broker, AuthTokenRevokedV1, revoked(jti), { producer: 'test', key: 'same-key' });
    await eventually(() => expect(started).toEqual(['h-1', 'h-2']));
    finish.get('h-2')?.();
    finish.get('h-1')?.(new Error('recipient never answered'));
    await eventually(() => expect(dead.map((m) => m.value)).toEqual([expect.stringContaining('"h-1"')]));
  });

  it('keeps a readiness check failing until a handler with `readiness` has caught up with its topic', async () => {
    const readiness = new ReadinessRegistry();
    for (const jti of ['r-1', 'r-2', 'r-3']) await publishEvent(broker, AuthTokenRevokedV1, revoked(jti), { producer: 'test' });
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    @Controller()
    class SlowCache {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.slow-cache', perInstance: true, readiness: 'testCache' })
      async cache(@Payload() data: Revoked) {
        await gate;
        seen.push(data.jtis[0]);
      }
    }
    const app = await startApp(broker, SlowCache, undefined, { readiness });
    apps.push(app);
    const check = () => readiness.list().find((c) => c.name === 'testCache')?.check();
    await expect(check()).rejects.toThrow(/catching up/);
    release();
    await eventually(() => expect(seen).toEqual(['r-1', 'r-2', 'r-3']));
    await eventually(async () => expect(await check()).toEqual({ caughtUp: true }));
    await app.close();
    expect(readiness.list().map((c) => c.name)).not.toContain('testCache');
  });

  it('takes a handler\'s group id and start position from the service\'s settings, or leaves it out when disabled', async () => {
    const groups: string[] = [];
    const subscribe = broker.subscribe.bind(broker);
    jest.spyOn(broker, 'subscribe').mockImplementation((options) => {
      groups.push(`${options.groupId}:${String(options.fromBeginning)}`);
      return subscribe(options);
    });
    @Controller()
    class Configured {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'configured' })
      async handle(): Promise<void> {
        return undefined;
      }
    }
    apps.push(await startApp(broker, Configured, undefined, { groups: { configured: { groupId: 'legacy.group', fromBeginning: false } } }));
    apps.push(await startApp(broker, Configured, undefined, { groups: { configured: { enabled: false } } }));
    expect(groups).toEqual(['legacy.group:false']);
  });

  it('runs at most maxConcurrentHandlers shared-group handlers at once, over all groups; perInstance handlers are not counted', async () => {
    let running = 0;
    let peak = 0;
    const cached: string[] = [];
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const work = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await gate;
      running -= 1;
    };
    @Controller()
    class Bounded {
      @EventPattern(AuthTokenRevokedV1.topic, { group: 'test.bounded-a', maxInFlight: 16 })
      async a(): Promise<void> {
        await work();
      }

      @EventPattern(AuthClientUpdatedV1.topic, { group: 'test.bounded-b', maxInFlight: 16 })
      async b(): Promise<void> {
        await work();
      }

      @EventPattern(AuthAuditRecordedV1.topic, { group: 'test.bounded-cache', perInstance: true })
      async cache(@Payload() data: EventData<typeof AuthAuditRecordedV1>): Promise<void> {
        cached.push(data.action);
      }
    }
    apps.push(await startApp(broker, Bounded, undefined, { maxConcurrentHandlers: 3 }));
    for (let n = 0; n < 6; n += 1) {
      await publishEvent(broker, AuthTokenRevokedV1, revoked(`b-${n}`), { producer: 'test', key: `key-${n}` });
      await publishEvent(broker, AuthClientUpdatedV1, { clientId: `client-${n}`, revision: 1, status: 'ACTIVE', allowedCidrs: [] }, { producer: 'test', key: `key-${n}` });
      await publishEvent(broker, AuthAuditRecordedV1, { action: `audit-${n}`, outcome: 'success' }, { producer: 'test' });
    }
    // The cache handler is not held back by the shared groups' handlers waiting for their turn.
    await eventually(() => expect({ cached: cached.length, running }).toEqual({ cached: 6, running: 3 }));
    release();
    await broker.drain();
    expect({ peak, running }).toEqual({ peak: 3, running: 0 });
  });

  it('refuses request/reply handlers and handlers without a group at start', async () => {
    @Controller()
    class ReplyHandler {
      @MessagePattern(AuthTokenRevokedV1.topic)
      reply() {
        return 'no';
      }
    }
    await expect(startApp(broker, ReplyHandler)).rejects.toThrow(/only @EventPattern/);
    @Controller()
    class NoGroup {
      @EventPattern(AuthTokenRevokedV1.topic)
      async handle(): Promise<void> {
        throw new Error('never subscribed');
      }
    }
    await expect(startApp(broker, NoGroup)).rejects.toThrow(/needs a group/);
  });
});
