import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_RELAY, PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { nudgeIf, writeAuthEvents } from './auth-outbox';
import type { OutboxNudge } from './auth-outbox';
import type { UserRepository } from './ports';
import type { NewUser, PendingEvent, UserChanges, UserRecord } from './types';

/** `auth.user`; each change writes its outbox rows in the same transaction. */
@Injectable()
export class PrismaUserRepository implements UserRepository {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient,
    @Inject(OUTBOX_RELAY) private readonly outbox: OutboxNudge,
  ) {}

  async findUser(clientRowId: string, username: string): Promise<UserRecord | undefined> {
    return ((await this.prisma.authUser.findUnique({ where: { clientRowId_username: { clientRowId, username } } })) ?? undefined) as UserRecord | undefined;
  }

  async listUsers(clientRowId: string): Promise<UserRecord[]> {
    return (await this.prisma.authUser.findMany({ where: { clientRowId }, orderBy: { username: 'asc' } })) as UserRecord[];
  }

  async createUser(user: NewUser, events: PendingEvent[]): Promise<UserRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authUser.create({ data: user })) as UserRecord;
      await writeAuthEvents(tx, events);
      return row;
    });
    nudgeIf(this.outbox, events);
    return stored;
  }

  async updateUser(userId: string, changes: UserChanges, events: PendingEvent[]): Promise<UserRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authUser.update({ where: { id: userId }, data: { ...changes, updatedAt: new Date() } })) as UserRecord;
      await writeAuthEvents(tx, events);
      return row;
    });
    nudgeIf(this.outbox, events);
    return stored;
  }

  async incrementFailedAttempts(userId: string): Promise<number> {
    const row = await this.prisma.authUser.update({ where: { id: userId }, data: { failedAttempts: { increment: 1 } }, select: { failedAttempts: true } });
    return row.failedAttempts;
  }
}
