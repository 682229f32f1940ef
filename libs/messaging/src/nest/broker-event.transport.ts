import { randomUUID } from 'node:crypto';
import { Server } from '@nestjs/microservices';
import type { CustomTransportStrategy, MessageHandler as NestMessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { contractOf } from '@npi/kafka-contracts';
import { runWithCorrelationId } from '@npi/observability';
import type { EventEnvelope } from '@npi/kafka-contracts';
import type { ConsumerObserver, IncomingMessage, MessageBroker, Subscription } from '../broker.port';
import { subscribeToEvent } from '../events';
import type { ProcessedEventLog } from '../events';
import { BrokerContext } from './broker-context';
import type { BrokerEventHandlerOptions } from './event-handler-options';

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
}

/**
 * A Nest microservice transport over the platform's broker port, so Kafka and the in-process broker
 * look the same to handlers: every `@EventPattern(Contract.topic, options)` method becomes one
 * subscription. The payload is validated against the topic's contract on receipt (a violation is
 * dead-lettered by the broker), handlers get the envelope's `data` through `@Payload()` and a
 * BrokerContext through `@Ctx()`, and a handler that throws is retried, then dead-lettered.
 */
export class BrokerEventTransport extends Server implements CustomTransportStrategy {
  private subscriptions: Subscription[] = [];
  private readonly instanceId: string;

  constructor(private readonly options: BrokerEventTransportOptions) {
    super();
    this.instanceId = options.instanceId ?? randomUUID();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.getHandlers()) {
        this.subscriptions.push(await this.subscribe(pattern, handler));
      }
      callback();
    } catch (error) {
      await this.close();
      callback(error);
    }
  }

  async close(): Promise<void> {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  }

  on(): never {
    throw new Error('BrokerEventTransport has no transport events; use readiness and metrics');
  }

  unwrap<T>(): T {
    return this.options.broker as T;
  }

  private subscribe(topic: string, handler: NestMessageHandler): Promise<Subscription> {
    if (!handler.isEventHandler) throw new TypeError(`${topic}: only @EventPattern handlers are supported (events have no reply)`);
    const contract = contractOf(topic);
    if (!contract) throw new TypeError(`${topic}: no contract in @npi/kafka-contracts`);
    const options = (handler.extras ?? {}) as Partial<BrokerEventHandlerOptions>;
    if (!options.group) throw new TypeError(`@EventPattern('${topic}') needs a group option`);
    if (options.idempotent && !this.options.processedEvents) throw new TypeError(`${topic}: idempotent handlers need a processed-event log`);
    const shared = `${this.options.groupPrefix}.${options.group}`;
    const group = options.perInstance ? `${shared}.${this.instanceId}` : shared;
    // The event's correlation id (the request that caused it) follows into the handler's log lines.
    const invoke = (envelope: EventEnvelope<unknown>, message: IncomingMessage, transaction?: unknown) =>
      runWithCorrelationId(envelope.correlationId ?? envelope.eventId, async () => {
        const result = await handler(envelope.data, new BrokerContext([message, envelope, transaction]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      });
    const processed = options.idempotent ? this.options.processedEvents : undefined;
    return subscribeToEvent(this.options.broker, {
      groupId: group,
      contract,
      fromBeginning: options.perInstance ? true : options.fromBeginning,
      maxAttempts: options.maxAttempts,
      retryBackoffMs: options.retryBackoffMs,
      observer: this.options.observerFor?.(group),
      handler: processed
        ? (envelope, message) =>
            processed.runOnce(group, envelope.eventId, (transaction?: unknown) => invoke(envelope, message, transaction)).then(() => undefined)
        : (envelope, message) => invoke(envelope, message),
    });
  }
}
