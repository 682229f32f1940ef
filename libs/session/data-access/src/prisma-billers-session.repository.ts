import { Inject, Injectable } from '@nestjs/common';
import { GroupCommit, PRISMA_CLIENT, writeOutbox } from '@npi/database';
import type { Prisma, PrismaClient } from '@npi/database';
import type { BillersSessionRecord, NewSession, OutboxEventRow, PreparedBill, BillersSessionRepository } from './ports';

/** NPI Billers sessions in `session.billers_session`, with their outbox events. */
@Injectable()
export class PrismaBillersSessionRepository implements BillersSessionRepository {
  // Launches arriving together insert their sessions in one statement (one commit per batch). One
  // batch at a time: a statement through Prisma costs the service a few hundred microseconds of CPU
  // whatever its size, so while one commits every launch that arrives meanwhile waits to share the
  // next (batches about half as many as with two in flight); the batch is self-clocking, an idle
  // service still writes at once.
  private readonly creations = new GroupCommit<NewSession, boolean>((sessions) => this.createBatch(sessions), { maxBatch: 128, maxInFlight: 1 });

  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient) {}

  createIfAbsent(session: NewSession): Promise<boolean> {
    return this.creations.submit(session);
  }

  // ON CONFLICT DO NOTHING on the primary key: the database, not a read-then-write, decides which
  // of two simultaneous first loads creates the session (the other gets 601). Within one batch the
  // first of two equal ids is the one sent; the later one is refused like a second load.
  private async createBatch(sessions: NewSession[]): Promise<boolean[]> {
    const first = new Map<string, number>();
    sessions.forEach((session, index) => {
      if (!first.has(session.sessionId)) first.set(session.sessionId, index);
    });
    const rows = [...first.values()].map((index) => sessions[index]);
    const inserted = await this.prisma.$queryRawUnsafe<Array<{ session_id: string }>>(
      `INSERT INTO "session"."billers_session" (session_id, participant_code, channel, created_at, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
       ON CONFLICT (session_id) DO NOTHING
       RETURNING session_id`,
      rows.map((row) => row.sessionId),
      rows.map((row) => row.participantCode),
      rows.map((row) => row.channel),
      rows.map((row) => row.createdAt.toISOString()),
      rows.map((row) => row.expiresAt.toISOString()),
    );
    const created = new Set(inserted.map((row) => row.session_id));
    return sessions.map((session, index) => first.get(session.sessionId) === index && created.has(session.sessionId));
  }

  async find(sessionId: string): Promise<BillersSessionRecord | undefined> {
    const row = await this.prisma.sessionBillersSession.findUnique({ where: { sessionId } });
    return row ?? undefined;
  }

  async markExpired(sessionId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.sessionBillersSession.updateMany({
      where: { sessionId, state: { in: ['ACTIVE', 'BILL_PREPARED'] }, expiresAt: { lte: now } },
      data: { state: 'EXPIRED' },
    });
    return count === 1;
  }

  async prepareBill(sessionId: string, bill: PreparedBill, now: Date, event: OutboxEventRow): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.sessionBillersSession.updateMany({
        where: { sessionId, state: { in: ['ACTIVE', 'BILL_PREPARED'] }, expiresAt: { gt: now } },
        data: { state: 'BILL_PREPARED', batchId: bill.batchId, instructionId: bill.instructionId, billerCode: bill.billerCode, amount: bill.amount },
      });
      if (count !== 1) return false;
      await writeOutbox(tx, 'session', [event]);
      return true;
    });
  }

  async markCompleted(sessionId: string, batchId: string, now: Date, transaction?: unknown): Promise<boolean> {
    const client = (transaction as Prisma.TransactionClient | undefined) ?? this.prisma;
    const { count } = await client.sessionBillersSession.updateMany({
      where: { sessionId, batchId, state: 'BILL_PREPARED' },
      data: { state: 'COMPLETED', completedAt: now },
    });
    return count === 1;
  }
}
