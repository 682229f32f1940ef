import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_RELAY, PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { writeAuthEvents } from './auth-outbox';
import type { OutboxNudge } from './auth-outbox';
import type { AuthEventOutbox } from './ports';
import type { PendingEvent } from './types';

/** Events without a state change of their own (audit records), straight to `auth.outbox_event`. */
@Injectable()
export class PrismaAuthEventOutbox implements AuthEventOutbox {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient,
    @Inject(OUTBOX_RELAY) private readonly outbox: OutboxNudge,
  ) {}

  async appendEvents(events: PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await writeAuthEvents(this.prisma, events);
    this.outbox.nudge();
  }
}
