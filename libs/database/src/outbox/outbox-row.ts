import { encodeEvent } from '@npi/kafka-contracts';
import type { EncodeOptions, EventContract } from '@npi/kafka-contracts';
import { injectTraceContext } from '@npi/observability';

/** What a service inserts into its `<schema>.outbox_event` table inside its own transaction. */
export interface OutboxRow {
  id: string;
  topic: string;
  key: string | null;
  payload: object;
  headers: Record<string, string>;
}

/**
 * Validates the event against its contract when it is written (not only when it is relayed), so an
 * invalid event fails the business transaction instead of poisoning the outbox.
 */
export function outboxRow<Data>(contract: EventContract<Data>, data: Data, options: EncodeOptions): OutboxRow {
  const encoded = encodeEvent(contract, data, options);
  return {
    id: encoded.headers['event-id'],
    topic: contract.topic,
    key: encoded.key ?? null,
    payload: JSON.parse(encoded.value) as object,
    // The request that wrote the event is the parent of its relay, its Kafka hop and its consumers.
    headers: injectTraceContext({ ...encoded.headers }),
  };
}
