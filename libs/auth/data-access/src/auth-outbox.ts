import { outboxRow, writeOutbox } from '@npi/database';
import type { OutboxRelay, Prisma, PrismaClient } from '@npi/database';
import type { PendingEvent } from './types';

const PRODUCER = 'auth-service';

export type OutboxNudge = Pick<OutboxRelay, 'nudge'>;

/** Outbox rows of auth-service's events (producer `auth-service`). */
export function authOutboxRows(events: PendingEvent[]) {
  return events.map((event) => outboxRow(event.contract, event.data, { producer: PRODUCER, key: event.key, correlationId: event.correlationId }));
}

/** Writes the events to `auth.outbox_event` inside the caller's transaction. */
export async function writeAuthEvents(tx: Prisma.TransactionClient | PrismaClient, events: PendingEvent[]): Promise<void> {
  await writeOutbox(tx, 'auth', authOutboxRows(events));
}

/** After the commit: wake the relay if anything was written. */
export function nudgeIf(outbox: OutboxNudge, events: PendingEvent[]): void {
  if (events.length > 0) outbox.nudge();
}
