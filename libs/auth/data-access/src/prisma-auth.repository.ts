import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_RELAY, PRISMA_CLIENT, outboxRow, writeOutbox } from '@npi/database';
import type { OutboxRelay, Prisma, PrismaClient } from '@npi/database';
import type {
  AuthRepository,
  ClientChanges,
  ClientRecord,
  NewClient,
  NewRefreshToken,
  NewUser,
  PendingEvent,
  RefreshTokenRecord,
  UserChanges,
  UserRecord,
} from './types';

const PRODUCER = 'auth-service';
type Tx = Prisma.TransactionClient;

/** The only place auth-service's tables are touched. Outbox rows are written in the same transaction. */
@Injectable()
export class PrismaAuthRepository implements AuthRepository {
  constructor(
    @Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient,
    @Inject(OUTBOX_RELAY) private readonly outbox: Pick<OutboxRelay, 'nudge'>,
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
      await this.writeEvents(tx, events(row));
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
      await this.writeEvents(tx, events(row));
      return row;
    });
    if (stored) this.outbox.nudge();
    return stored;
  }

  async findUser(clientRowId: string, username: string): Promise<UserRecord | undefined> {
    return ((await this.prisma.authUser.findUnique({ where: { clientRowId_username: { clientRowId, username } } })) ?? undefined) as UserRecord | undefined;
  }

  async listUsers(clientRowId: string): Promise<UserRecord[]> {
    return (await this.prisma.authUser.findMany({ where: { clientRowId }, orderBy: { username: 'asc' } })) as UserRecord[];
  }

  async createUser(user: NewUser, events: PendingEvent[]): Promise<UserRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authUser.create({ data: user })) as UserRecord;
      await this.writeEvents(tx, events);
      return row;
    });
    this.nudgeIf(events);
    return stored;
  }

  async updateUser(userId: string, changes: UserChanges, events: PendingEvent[]): Promise<UserRecord> {
    const stored = await this.prisma.$transaction(async (tx) => {
      const row = (await tx.authUser.update({ where: { id: userId }, data: { ...changes, updatedAt: new Date() } })) as UserRecord;
      await this.writeEvents(tx, events);
      return row;
    });
    this.nudgeIf(events);
    return stored;
  }

  async incrementFailedAttempts(userId: string): Promise<number> {
    const row = await this.prisma.authUser.update({ where: { id: userId }, data: { failedAttempts: { increment: 1 } }, select: { failedAttempts: true } });
    return row.failedAttempts;
  }

  async insertRefreshToken(token: NewRefreshToken, events: PendingEvent[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.authRefreshToken.create({ data: token });
      await this.writeEvents(tx, events);
    });
    this.nudgeIf(events);
  }

  async findRefreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    return (await this.prisma.authRefreshToken.findUnique({ where: { tokenHash } })) ?? undefined;
  }

  async findRefreshTokenByAccessJti(jti: string): Promise<RefreshTokenRecord | undefined> {
    return (await this.prisma.authRefreshToken.findUnique({ where: { accessJti: jti } })) ?? undefined;
  }

  async rotateRefreshToken(presentedId: string, retiredAt: Date, next: NewRefreshToken, events: PendingEvent[]): Promise<boolean> {
    const rotated = await this.prisma.$transaction(async (tx) => {
      const claimed = await tx.authRefreshToken.updateMany({ where: { id: presentedId, retiredAt: null, revokedAt: null }, data: { retiredAt } });
      if (claimed.count !== 1) return false;
      await tx.authRefreshToken.create({ data: next });
      await this.writeEvents(tx, events);
      return true;
    });
    if (rotated) this.nudgeIf(events);
    return rotated;
  }

  async revokeFamily(familyId: string, at: Date, events: (revoked: RefreshTokenRecord[]) => PendingEvent[]): Promise<RefreshTokenRecord[]> {
    return this.revokeWhere({ familyId, revokedAt: null }, at, events);
  }

  async revokeUserTokens(clientId: string, username: string, at: Date, events: (revoked: RefreshTokenRecord[]) => PendingEvent[]): Promise<RefreshTokenRecord[]> {
    return this.revokeWhere({ clientId, username, revokedAt: null }, at, events);
  }

  async markAccessTokenRevoked(jti: string, at: Date, events: PendingEvent[]): Promise<boolean> {
    const changed = await this.prisma.$transaction(async (tx) => {
      const result = await tx.authRefreshToken.updateMany({ where: { accessJti: jti, accessRevokedAt: null }, data: { accessRevokedAt: at } });
      if (result.count > 0) await this.writeEvents(tx, events);
      return result.count > 0;
    });
    if (changed) this.nudgeIf(events);
    return changed;
  }

  async appendEvents(events: PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.writeEvents(this.prisma, events);
    this.outbox.nudge();
  }

  private async revokeWhere(
    where: Prisma.AuthRefreshTokenWhereInput,
    at: Date,
    events: (revoked: RefreshTokenRecord[]) => PendingEvent[],
  ): Promise<RefreshTokenRecord[]> {
    const revoked = await this.prisma.$transaction(async (tx) => {
      // Lock the rows so a concurrent rotation cannot add a live member while the family dies.
      const rows = await tx.authRefreshToken.findMany({ where });
      if (rows.length === 0) return [];
      await tx.authRefreshToken.updateMany({ where: { id: { in: rows.map((row) => row.id) }, revokedAt: null }, data: { revokedAt: at } });
      await this.writeEvents(tx, events(rows));
      return rows;
    });
    if (revoked.length > 0) this.outbox.nudge();
    return revoked;
  }

  private async writeEvents(tx: Tx | PrismaClient, events: PendingEvent[]): Promise<void> {
    const rows = events.map((event) => outboxRow(event.contract, event.data, { producer: PRODUCER, key: event.key, correlationId: event.correlationId }));
    await writeOutbox(tx, 'auth', rows);
  }

  private nudgeIf(events: PendingEvent[]): void {
    if (events.length > 0) this.outbox.nudge();
  }
}
