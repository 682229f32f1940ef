/**
 * Options of an `@EventPattern(Contract.topic, options)` handler, read by BrokerEventTransport.
 * They replace the hand-wired subscription code each consumer used to carry.
 */
export interface BrokerEventHandlerOptions {
  /**
   * The handler's purpose within its service (`bill-prepared`); the consumer group is
   * `<service group prefix>.<group>` (`payment-service.bill-prepared`).
   */
  group: string;
  /**
   * Every replica must see every event (in-memory caches): the group gets this instance's id
   * appended, and reading starts from the earliest message.
   */
  perInstance?: boolean;
  /**
   * Apply each event id at most once per group through the service's durable processed-event log;
   * the handler's effect may join its transaction (`ctx.getTransaction()`).
   */
  idempotent?: boolean;
  /** A new group starts from the earliest message (default) or only sees new ones. */
  fromBeginning?: boolean;
  /** Deliveries before the message is dead-lettered to `<topic>.dlq` (broker default when absent). */
  maxAttempts?: number;
  retryBackoffMs?: number;
}
