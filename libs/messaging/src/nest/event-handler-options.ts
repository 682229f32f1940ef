/**
 * Options of an `@EventPattern(Contract.topic, options)` handler, read by BrokerEventTransport.
 * They replace the hand-wired subscription code each consumer used to carry.
 *
 * A handler that is not `idempotent` may return a `HandedOff` (`{ settled }`) instead of finishing:
 * the consumer goes on with the next message at once and commits this one's offset only when
 * `settled` resolves (see the broker port). That is how a handler keeps many slow deliveries in flight.
 */
export interface BrokerEventHandlerOptions {
  /**
   * The handler's purpose within its service (`bill-prepared`); the consumer group is
   * `<service group prefix>.<group>` (`payment-service.bill-prepared`).
   */
  group: string;
  /**
   * Every replica must see every event (in-memory caches): the group gets this instance's id
   * appended, and reading starts from the earliest message unless `fromBeginning` says otherwise.
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
  /** Messages of different keys handled at once (broker default when absent; same key: in order). */
  maxInFlight?: number;
  /**
   * Name of a readiness check that fails until this handler's consumer has caught up (handled every
   * message that was in its topic when it subscribed): for caches a pod must not serve without.
   * Handlers naming the same check share it.
   */
  readiness?: string;
}

/**
 * Per-deployment settings of one handler, keyed by its `group` and supplied by the service's
 * configuration (a consumer group id kept from before, a bench that must not resume a group).
 */
export interface BrokerEventGroupSettings {
  /** The whole consumer group id, instead of `<service group prefix>.<group>`. */
  groupId?: string;
  fromBeginning?: boolean;
  /** false: the handler does not consume in this process (another deployment runs it). */
  enabled?: boolean;
}
