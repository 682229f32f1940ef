import { Inject, Injectable } from '@nestjs/common';
import { PRISMA_CLIENT, writeOutbox } from '@npi/database';
import type { Prisma, PrismaClient } from '@npi/database';
import type { BillersSessionRecord, NewSession, OutboxEventRow, PreparedBill, BillersSessionRepository } from './ports';

/** NPI Billers sessions in `session.billers_session`, with their outbox events. */
@Injectable()
export class PrismaBillersSessionRepository implements BillersSessionRepository {
  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient) {}

  async createIfAbsent(session: NewSession): Promise<boolean> {
    // ON CONFLICT DO NOTHING on the primary key: the database, not a read-then-write, decides
    // which of two simultaneous first loads creates the session (the other gets 601).
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO "session"."billers_session" (session_id, participant_code, channel, state, created_at, expires_at)
      VALUES (${session.sessionId}, ${session.participantCode}, ${session.channel}, 'ACTIVE', ${session.createdAt}, ${session.expiresAt})
      ON CONFLICT (session_id) DO NOTHING`;
    return inserted === 1;
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
