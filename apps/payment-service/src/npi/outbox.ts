import { outboxRow } from '@npi/database';
import type { EventContract } from '@npi/kafka-contracts';
import type { OutboxEventRow } from '@npi/payment/data-access';

/** An outbox row for an event, validated against its contract when written (not when relayed). */
export function outboxRowFor<Data>(contract: EventContract<Data>, data: Data, options: { producer: string; key?: string; correlationId?: string }): OutboxEventRow {
  return outboxRow(contract, data, options);
}
