/**
 * The broker port every service depends on. Two adapters implement it with the same semantics:
 * Kafka (kafkajs) for the distributed mode and an in-process broker for the standalone mode.
 *
 * Semantics (both adapters): publish resolves only once the message is durably accepted (Kafka:
 * acks from all in-sync replicas); delivery is at-least-once; messages with the same key keep their
 * order; a handler failure is retried `maxAttempts` times with backoff, then the message goes to
 * `<topic>.dlq`; a message that can never succeed (PoisonMessageError, contract violation) goes there
 * at once. A failure the adapter's `isTransient` recognises (the database cannot be reached) is
 * retried with capped backoff for as long as it lasts and never dead-lettered. Consumers must
 * therefore be idempotent.
 */
export interface OutgoingMessage {
  key?: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key?: string;
  value: string;
  headers: Record<string, string>;
  /** 1 on first delivery to the handler, incremented on each retry. */
  attempt: number;
  /** When the producer sent it (ms since the epoch), where the broker keeps it (Kafka CreateTime). */
  timestamp?: number;
}

/**
 * A handler may hand a message off instead of finishing it: later messages (also of the same key)
 * flow on at once, and the message's offset is committed only after `settled` resolves, so a crash
 * before that redelivers it. If `settled` rejects, the message is dead-lettered.
 */
export interface HandedOff {
  settled: Promise<void>;
}

export type MessageHandler = (message: IncomingMessage) => Promise<void | HandedOff>;

export function isHandedOff(result: unknown): result is HandedOff {
  return typeof result === 'object' && result !== null && (result as HandedOff).settled instanceof Promise;
}

export interface SubscribeOptions {
  /** Unique per service and purpose, e.g. `payment-service.client-cache`. */
  groupId: string;
  topics: readonly string[];
  handler: MessageHandler;
  /** A new group starts from the earliest message (default) or only sees new ones. */
  fromBeginning?: boolean;
  maxAttempts?: number;
  retryBackoffMs?: number;
  /** Messages of different keys handled at once (same key: always one at a time, in order). */
  maxInFlight?: number;
  /** Told of dead letters and consumer lag (metrics); must not throw. */
  observer?: ConsumerObserver;
}

export interface ConsumerObserver {
  deadLettered?(topic: string, reason: string): void;
  /** Messages behind the partition's high watermark (Kafka), or behind the log's end (in-process). */
  lag?(topic: string, partition: number, lag: number): void;
  /** A message reached the handler (first try), `seconds` after its producer sent it. */
  received?(topic: string, seconds: number): void;
}

export interface Subscription {
  close(): Promise<void>;
  /**
   * True once this consumer has handled every message that was in its topics when it subscribed
   * (the end offsets seen at start). A cache fed by a topic serves correctly only from then on, so
   * readiness waits for it.
   */
  isCaughtUp(): boolean;
}

export interface MessageBroker {
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ensureTopics(topics: readonly string[]): Promise<void>;
  /** Resolves when the broker answers; used by readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Nest injection token for the MessageBroker port. */
export const MESSAGE_BROKER = Symbol.for('npi.MessageBroker');
