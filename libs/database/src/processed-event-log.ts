import type { ProcessedEventLog } from '@npi/messaging';
import type { PrismaClient } from './prisma-client';
import type { ServiceSchema } from './outbox/outbox-relay';

/**
 * Durable idempotency for consumers: the (consumer, event id) row is inserted in the same
 * transaction that runs the effect, so a redelivered event is skipped and a failed effect is
 * rolled back together with its mark (and is retried).
 */
export class PrismaProcessedEventLog implements ProcessedEventLog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly schema: ServiceSchema,
  ) {}

  async runOnce(consumer: string, eventId: string, effect: (tx?: unknown) => Promise<void>): Promise<'applied' | 'duplicate'> {
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO "${this.schema}"."processed_event" (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        consumer,
        eventId,
      );
      if (inserted === 0) return 'duplicate' as const;
      await effect(tx);
      return 'applied' as const;
    });
  }
}
