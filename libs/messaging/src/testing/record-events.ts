import { randomUUID } from 'node:crypto';
import type { EventContract, EventEnvelope } from '@npi/kafka-contracts';
import type { MessageBroker } from '../broker.port';
import { subscribeToEvent } from '../events';

export interface RecordedEvents<Data> {
  /** Every event seen so far, validated against its contract, in arrival order. */
  readonly events: EventEnvelope<Data>[];
  close(): Promise<void>;
}

/**
 * For tests that watch a topic from outside the service (the other side of an exchange): a
 * throw-away group that sees only events published from now on. Services consume through
 * `@EventPattern` handlers, never through this.
 */
export async function recordEvents<Data>(broker: MessageBroker, contract: EventContract<Data>): Promise<RecordedEvents<Data>> {
  const events: EventEnvelope<Data>[] = [];
  const subscription = await subscribeToEvent(broker, {
    groupId: `test-recorder.${contract.topic}.${randomUUID()}`,
    contract,
    fromBeginning: false,
    handler: async (event) => void events.push(event),
  });
  return { events, close: () => subscription.close() };
}
