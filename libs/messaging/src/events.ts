import { decodeEvent, encodeEvent } from '@npi/kafka-contracts';
import type { EncodeOptions, EventContract, EventEnvelope } from '@npi/kafka-contracts';
import { SpanKind, extractTraceContext, inSpan, injectTraceContext } from '@npi/observability';
import { isHandedOff } from './broker.port';
import type { ConsumerObserver, HandedOff, IncomingMessage, MessageBroker, Subscription } from './broker.port';

/** Validates against the contract, then publishes and awaits the broker's ack. */
export async function publishEvent<Data>(
  broker: MessageBroker,
  contract: EventContract<Data>,
  data: Data,
  options: EncodeOptions,
): Promise<void> {
  const encoded = encodeEvent(contract, data, options);
  await broker.publish(contract.topic, [{ ...encoded, headers: injectTraceContext({ ...encoded.headers }) }]);
}

/** Remembers which events a consumer already applied, so redeliveries change nothing. */
export interface ProcessedEventLog {
  /**
   * Runs `effect` unless this consumer already applied `eventId`; answers which happened. A durable
   * log hands `effect` the transaction that records the mark, so both commit together.
   */
  runOnce(consumer: string, eventId: string, effect: (transaction?: unknown) => Promise<void>): Promise<'applied' | 'duplicate'>;
}

/** For consumers whose effect is itself in memory (caches): a bounded in-memory log. */
export class InMemoryProcessedEventLog implements ProcessedEventLog {
  private readonly seen = new Map<string, true>();
  constructor(private readonly capacity = 100_000) {}

  async runOnce(consumer: string, eventId: string, effect: () => Promise<void>): Promise<'applied' | 'duplicate'> {
    const key = `${consumer}\u0000${eventId}`;
    if (this.seen.has(key)) return 'duplicate';
    // Claimed before the effect runs, so a concurrent redelivery (another partition) is a duplicate;
    // released if the effect fails, so the retry applies it.
    this.seen.set(key, true);
    try {
      await effect();
    } catch (error) {
      this.seen.delete(key);
      throw error;
    }
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value as string);
    return 'applied';
  }
}

export interface EventSubscription<Data> {
  groupId: string;
  contract: EventContract<Data>;
  /** May hand the event off (see HandedOff) only without `processedEvents`. */
  handler: (event: EventEnvelope<Data>, message: IncomingMessage) => Promise<void | HandedOff>;
  /** When given, each event id is applied at most once per group. */
  processedEvents?: ProcessedEventLog;
  fromBeginning?: boolean;
  maxAttempts?: number;
  retryBackoffMs?: number;
  observer?: ConsumerObserver;
  /** Messages of different keys handled at once (broker default when absent). */
  maxInFlight?: number;
}

/** Subscribes with validation on receipt: a message that breaks its contract is dead-lettered. */
export function subscribeToEvent<Data>(broker: MessageBroker, subscription: EventSubscription<Data>): Promise<Subscription> {
  return broker.subscribe({
    groupId: subscription.groupId,
    topics: [subscription.contract.topic],
    fromBeginning: subscription.fromBeginning,
    maxAttempts: subscription.maxAttempts,
    retryBackoffMs: subscription.retryBackoffMs,
    observer: subscription.observer,
    maxInFlight: subscription.maxInFlight,
    // One consumer span per delivery, child of the producer's context carried in `traceparent`;
    // whatever the handler starts (a hand-off included) stays in that trace.
    handler: (message) =>
      inSpan(
        `${message.topic} process`,
        {
          kind: SpanKind.CONSUMER,
          parent: extractTraceContext(message.headers),
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': message.topic, 'messaging.consumer.group.name': subscription.groupId, 'messaging.kafka.offset': Number(message.offset) },
        },
        async () => {
          const event = decodeEvent(subscription.contract, message.value);
          const apply = () => subscription.handler(event, message);
          if (!subscription.processedEvents) return apply();
          await subscription.processedEvents.runOnce(subscription.groupId, event.eventId, async () => {
            if (isHandedOff(await apply())) throw new Error('a handler with processedEvents must finish, not hand off');
          });
        },
      ),
  });
}
