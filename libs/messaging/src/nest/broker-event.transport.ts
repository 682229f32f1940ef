import { randomUUID } from 'node:crypto';
import { Server } from '@nestjs/microservices';
import type { CustomTransportStrategy, MessageHandler as NestMessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { contractOf } from '@npi/kafka-contracts';
import { runWithCorrelationId } from '@npi/observability';
import type { ReadinessRegistry } from '@npi/observability';
import type { EventEnvelope } from '@npi/kafka-contracts';
import { isHandedOff } from '../broker.port';
import type { ConsumerObserver, HandedOff, IncomingMessage, MessageBroker, Subscription } from '../broker.port';
import { subscribeToEvent } from '../events';
import { Permits } from '../lib/permits';
import type { ProcessedEventLog } from '../events';
import { BrokerContext } from './broker-context';
import type { BrokerEventGroupSettings, BrokerEventHandlerOptions } from './event-handler-options';

export interface BrokerEventTransportOptions {
  broker: MessageBroker;
  /** Prefixes every handler's group: the service name, or a per-run prefix in tests. */
  groupPrefix: string;
  /** The service's durable processed-event log, used by `idempotent` handlers. */
  processedEvents?: ProcessedEventLog;
  /** Appended to `perInstance` groups; a random id by default. */
  instanceId?: string;
  /** Dead letters and lag of each handler's subscription, by its group (metrics). */
  observerFor?: (group: string) => ConsumerObserver;
  /** Where handlers with a `readiness` option register their caught-up check. */
  readiness?: ReadinessRegistry;
  /** Settings from the service's configuration, by handler group (`dispatcher`). */
  groups?: Readonly<Record<string, BrokerEventGroupSettings>>;
  /**
   * Handlers of shared groups (their work is in the service's database) running at once, counted
   * over all of them; the rest wait without a timeout. Below the database pool size, so a replay of
   * a large backlog never holds every connection: requests and startup steps keep the rest (a
   * handler that hands off holds its place only until it returns). `perInstance` handlers (in-memory
   * caches) are not counted. Unbounded when absent.
   */
  maxConcurrentHandlers?: number;
}

interface Subscribed {
  group: string;
  readiness?: string;
  subscription?: Subscription;
}

/**
 * A Nest microservice transport over the platform's broker port, so Kafka and the in-process broker
 * look the same to handlers: every `@EventPattern(Contract.topic, options)` method becomes one
 * subscription. The payload is validated against the topic's contract on receipt (a violation is
 * dead-lettered by the broker), handlers get the envelope's `data` through `@Payload()` and a
 * BrokerContext through `@Ctx()`, and a handler that throws is retried, then dead-lettered. A
 * handler may return a HandedOff to keep the message in flight after it returned.
 */
export class BrokerEventTransport extends Server implements CustomTransportStrategy {
  private subscribed: Subscribed[] = [];
  private readinessChecks: string[] = [];
  private readonly instanceId: string;
  private readonly permits?: Permits;

  constructor(private readonly options: BrokerEventTransportOptions) {
    super();
    this.instanceId = options.instanceId ?? randomUUID();
    if (options.maxConcurrentHandlers !== undefined) this.permits = new Permits(options.maxConcurrentHandlers);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const handlers = [...this.getHandlers()].map(([topic, handler]) => this.prepare(topic, handler)).filter((prepared) => prepared !== undefined);
      this.subscribed = handlers.map(({ entry }) => entry);
      // Checks go in before the first subscription, so a pod is never ready with a cache still empty.
      this.registerReadiness();
      for (const { entry, subscribe } of handlers) entry.subscription = await subscribe();
      callback();
    } catch (error) {
      await this.close();
      callback(error);
    }
  }

  async close(): Promise<void> {
    for (const name of this.readinessChecks.splice(0)) this.options.readiness?.unregister(name);
    const subscriptions = this.subscribed.flatMap(({ subscription }) => (subscription ? [subscription] : []));
    this.subscribed = [];
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  }

  on(): never {
    throw new Error('BrokerEventTransport has no transport events; use readiness and metrics');
  }

  unwrap<T>(): T {
    return this.options.broker as T;
  }

  private registerReadiness(): void {
    // Without a registry (a test app) nobody asks for readiness; startService always gives one.
    const registry = this.options.readiness;
    if (!registry) return;
    const names = [...new Set(this.subscribed.flatMap(({ readiness }) => (readiness ? [readiness] : [])))];
    for (const name of names) {
      const members = this.subscribed.filter((entry) => entry.readiness === name);
      registry.register({
        name,
        check: async () => {
          const state = Object.fromEntries(members.map(({ group, subscription }) => [group, subscription?.isCaughtUp() ?? false]));
          if (Object.values(state).some((caughtUp) => !caughtUp)) throw new Error(`catching up: ${JSON.stringify(state)}`);
          return { caughtUp: true };
        },
      });
      this.readinessChecks.push(name);
    }
  }

  private prepare(topic: string, handler: NestMessageHandler): { entry: Subscribed; subscribe: () => Promise<Subscription> } | undefined {
    if (!handler.isEventHandler) throw new TypeError(`${topic}: only @EventPattern handlers are supported (events have no reply)`);
    const contract = contractOf(topic);
    if (!contract) throw new TypeError(`${topic}: no contract in @npi/kafka-contracts`);
    const options = (handler.extras ?? {}) as Partial<BrokerEventHandlerOptions>;
    if (!options.group) throw new TypeError(`@EventPattern('${topic}') needs a group option`);
    if (options.idempotent && !this.options.processedEvents) throw new TypeError(`${topic}: idempotent handlers need a processed-event log`);
    const settings = this.options.groups?.[options.group] ?? {};
    if (settings.enabled === false) return undefined;
    const shared = settings.groupId ?? `${this.options.groupPrefix}.${options.group}`;
    const group = options.perInstance ? `${shared}.${this.instanceId}` : shared;
    // The event's correlation id (the request that caused it) follows into the handler's log lines
    // (a hand-off's work included: it starts inside this context).
    const invoke = (envelope: EventEnvelope<unknown>, message: IncomingMessage, transaction?: unknown) =>
      runWithCorrelationId(envelope.correlationId ?? envelope.eventId, async (): Promise<void | HandedOff> => {
        const result = await handler(envelope.data, new BrokerContext([message, envelope, transaction]));
        const value: unknown = await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        return isHandedOff(value) ? value : undefined;
      });
    const processed = options.idempotent ? this.options.processedEvents : undefined;
    const handle = processed
      ? async (envelope: EventEnvelope<unknown>, message: IncomingMessage): Promise<void> => {
          await processed.runOnce(group, envelope.eventId, async (transaction?: unknown) => {
            if (isHandedOff(await invoke(envelope, message, transaction))) throw new TypeError(`${topic}: an idempotent handler must finish, not hand off`);
          });
        }
      : (envelope: EventEnvelope<unknown>, message: IncomingMessage) => invoke(envelope, message);
    const permits = options.perInstance ? undefined : this.permits;
    const subscribe = () =>
      subscribeToEvent(this.options.broker, {
        groupId: group,
        contract,
        fromBeginning: settings.fromBeginning ?? options.fromBeginning ?? (options.perInstance ? true : undefined),
        maxAttempts: options.maxAttempts,
        retryBackoffMs: options.retryBackoffMs,
        maxInFlight: options.maxInFlight,
        observer: this.options.observerFor?.(group),
        handler: permits ? (envelope, message) => permits.run(() => handle(envelope, message)) : handle,
      });
    return { entry: { group, readiness: options.readiness }, subscribe };
  }
}
