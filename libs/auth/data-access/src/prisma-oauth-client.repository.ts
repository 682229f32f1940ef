import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_RELAY, PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { writeAuthEvents } from './auth-outbox';
import type { OutboxNudge } from './auth-outbox';
import type { OAuthClientRepository } from './ports';
import type { ClientChanges, ClientRecord, NewClient, PendingEvent } from './types';

/** `auth.client`; each change writes its outbox rows in the same transaction. */
@Injectable()
export class PrismaOAuthClientRepository implements OAuthClientRepository {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient,
    @Inject(OUTBOX_RELAY) private readonly outbox: OutboxNudge,
  ) {}

  async findClient(clientId: string): Promise<ClientRecord | undefined> {
    return ((await this.prisma.authClient.findUnique({ where: { clientId } })) ?? undefined) as ClientRecord | undefined;
  }

  async listClients(): Promise<ClientRecord[]> {
    return (await this.prisma.authClient.findMany({ orderBy: { clientId: 'asc' } })) as ClientRecord[];
  }

  async createClient(client: NewClient, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authClient.create({ data: client })) as ClientRecord;
      await writeAuthEvents(tx, events(row));
      return row;
    });
    this.outbox.nudge();
    return stored;
  }

  async updateClient(clientId: string, changes: ClientChanges, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord | undefined> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.authClient.findUnique({ where: { clientId } });
      if (!existing) return undefined;
      const row = (await tx.authClient.update({
        where: { clientId },
        data: { ...changes, revision: { increment: 1 }, updatedAt: new Date() },
      })) as ClientRecord;
      await writeAuthEvents(tx, events(row));
      return row;
    });
    if (stored) this.outbox.nudge();
    return stored;
  }

  async replaceClientSecretHash(clientId: string, from: string, to: string): Promise<boolean> {
    const result = await this.prisma.authClient.updateMany({ where: { clientId, secretHash: from }, data: { secretHash: to } });
    return result.count === 1;
  }
}
