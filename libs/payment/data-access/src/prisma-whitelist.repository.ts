import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@npi/database';
import type { WhitelistRepository } from './ports';
import type { NewWhitelistEntry, WhitelistEntry } from './types';

type Row = Awaited<ReturnType<PrismaClient['paymentWhitelistEntry']['findFirstOrThrow']>>;

function toEntry(row: Row): WhitelistEntry {
  return { ...row, letterDate: row.letterDate.toISOString().slice(0, 10) };
}

/** Debtor accounts each member may debit, with the Debit Authorization Letter behind each (seed 001 section 7.3). */
export class PrismaWhitelistRepository implements WhitelistRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Adds an entry. The same (member, bank, account) again with the same letter is returned as it is
   * (idempotent seeding); with another letter it re-activates the entry on that letter.
   */
  async add(input: NewWhitelistEntry): Promise<WhitelistEntry> {
    const data = {
      branchId: input.branchId,
      accountName: input.accountName,
      letterNumber: input.letterNumber,
      letterDate: new Date(`${input.letterDate}T00:00:00Z`),
      letterIssuingBank: input.letterIssuingBank,
      letterDocumentHash: input.letterDocumentHash,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: input.effectiveTo ?? null,
      recordedBy: input.recordedBy,
    };
    const row = await this.prisma.paymentWhitelistEntry.upsert({
      where: { memberId_bankId_accountId: { memberId: input.memberId, bankId: input.bankId, accountId: input.accountId } },
      create: { id: randomUUID(), memberId: input.memberId, bankId: input.bankId, accountId: input.accountId, ...data },
      update: { ...data, status: 'ACCEPTED', suspendedAt: null, suspendedBy: null },
    });
    return toEntry(row);
  }

  /** Suspends an entry; answers null when it does not exist. */
  async suspend(entryId: string, by: string, at: Date): Promise<WhitelistEntry | null> {
    const updated = await this.prisma.paymentWhitelistEntry.updateMany({ where: { id: entryId }, data: { status: 'SUSPENDED', suspendedBy: by, suspendedAt: at } });
    if (updated.count === 0) return null;
    return toEntry(await this.prisma.paymentWhitelistEntry.findUniqueOrThrow({ where: { id: entryId } }));
  }

  async list(memberId: string, options: { activeAt?: Date } = {}): Promise<WhitelistEntry[]> {
    const at = options.activeAt;
    const rows = await this.prisma.paymentWhitelistEntry.findMany({
      where: {
        memberId,
        ...(at ? { status: 'ACCEPTED' as const, effectiveFrom: { lte: at }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: at } }] } : {}),
      },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map(toEntry);
  }

  /** The entry that lets `memberId` debit this account at `at`, if any. */
  async findActive(memberId: string, bankId: string, accountId: string, at: Date): Promise<WhitelistEntry | null> {
    const row = await this.prisma.paymentWhitelistEntry.findFirst({
      where: { memberId, bankId, accountId, status: 'ACCEPTED', effectiveFrom: { lte: at }, OR: [{ effectiveTo: null }, { effectiveTo: { gt: at } }] },
    });
    return row ? toEntry(row) : null;
  }
}
