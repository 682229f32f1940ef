import type { PrismaClient } from '@npi/database';
import type { PreparedBillRepository } from './ports';
import type { PreparedBill } from './types';

type Row = Awaited<ReturnType<PrismaClient['paymentPreparedBill']['findFirstOrThrow']>>;

function toBill(row: Row): PreparedBill {
  return { ...row, amount: row.amount.toFixed(2) };
}

/** Bills that live NPI Billers sessions prepared (`billers.bill.prepared.v1`): the only ones confirmable. */
export class PrismaPreparedBillRepository implements PreparedBillRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores a prepared bill; a redelivered event changes nothing (and never un-confirms a bill). */
  async remember(bill: Omit<PreparedBill, 'confirmedAt'>, tx?: unknown): Promise<void> {
    const client = (tx as PrismaClient | undefined) ?? this.prisma;
    await client.paymentPreparedBill.upsert({
      where: { participantCode_batchId: { participantCode: bill.participantCode, batchId: bill.batchId } },
      create: { ...bill },
      update: {},
    });
  }

  async find(participantCode: string, batchId: string): Promise<PreparedBill | null> {
    const row = await this.prisma.paymentPreparedBill.findUnique({ where: { participantCode_batchId: { participantCode, batchId } } });
    return row ? toBill(row) : null;
  }

  /** Marks the bill confirmed once; answers false if it already was. */
  async markConfirmed(participantCode: string, batchId: string, at: Date): Promise<boolean> {
    const updated = await this.prisma.paymentPreparedBill.updateMany({ where: { participantCode, batchId, confirmedAt: null }, data: { confirmedAt: at } });
    return updated.count === 1;
  }
}
