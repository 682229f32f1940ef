import { writeOutbox } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import type { DirectoryBankFlag, DirectoryRepository } from './ports';
import type { AutoReleaseLimit, Branch, ChargeSlab, DirectoryBank, DirectoryChange, OutboxEventRow } from './types';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Decimalish = { toFixed(digits: number): string };

/** `0.5000` → `0.5`, `2.0000` → `2`: percent as its shortest decimal text. */
function percentText(value: Decimalish): string {
  return value.toFixed(4).replace(/\.?0+$/, '');
}

/**
 * The NCHL directory as data: banks with their list flags and branches, charge slabs per app and
 * auto-release limits. Changes are applied whole per entity (a bank with all its branches, an
 * app with all its slabs, a bank with all its limits) in one transaction with their outbox event,
 * with `INSERT ... ON CONFLICT` so two replicas importing the same file at once do not collide.
 */
export class PrismaDirectoryRepository implements DirectoryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async isEmpty(): Promise<boolean> {
    return (await this.prisma.paymentBank.count()) === 0;
  }

  async apply(change: DirectoryChange, events: readonly OutboxEventRow[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const bankId of change.removedBankIds ?? []) {
        await tx.paymentBranch.deleteMany({ where: { bankId } });
        await tx.paymentAutoReleaseLimit.deleteMany({ where: { bankId } });
        await tx.paymentBank.deleteMany({ where: { bankId } });
      }
      for (const bank of change.banks ?? []) await upsertBank(tx, bank);
      for (const { appId, slabs } of change.chargeSlabs ?? []) {
        await tx.paymentChargeSlab.deleteMany({ where: { appId } });
        if (slabs.length > 0) {
          await tx.paymentChargeSlab.createMany({
            data: slabs.map((slab) => ({ appId, maxAmount: slab.maxAmount, scheme: slab.scheme, currency: slab.currency, minChargeAmount: slab.minChargeAmount, maxChargeAmount: slab.maxChargeAmount, percent: slab.percent })),
            skipDuplicates: true,
          });
        }
      }
      for (const { bankId, limits } of change.autoReleaseLimits ?? []) {
        await tx.paymentAutoReleaseLimit.deleteMany({ where: { bankId } });
        if (limits.length > 0) {
          await tx.paymentAutoReleaseLimit.createMany({
            data: limits.map((limit) => ({ bankId, categoryPurpose: limit.categoryPurpose, maxAmount: limit.maxAmount, currency: limit.currency, status: limit.status })),
            skipDuplicates: true,
          });
        }
      }
      await writeOutbox(tx, 'payment', events);
    });
  }

  /** Banks with their flags, in bankId order; `flag` keeps only banks that have it. */
  async banks(flag?: DirectoryBankFlag): Promise<Omit<DirectoryBank, 'branches'>[]> {
    return this.prisma.paymentBank.findMany({ where: flag ? { [flag]: true } : {}, orderBy: { bankId: 'asc' } });
  }

  /** One bank with all its branches (the admin API's answer and the change event's content). */
  async bank(bankId: string): Promise<DirectoryBank | null> {
    const row = await this.prisma.paymentBank.findUnique({ where: { bankId }, include: { branches: { orderBy: { branchId: 'asc' } } } });
    if (!row) return null;
    const { branches, ...bank } = row;
    return { ...bank, branches: branches.map((b) => ({ branchId: b.branchId, branchName: b.branchName })) };
  }

  /** Branches of the banks with `flag` (or of one bank), in bank then branch order. */
  async branches(filter: { bankId?: string; flag?: 'cipsEnabled' | 'ipsEnabled' }): Promise<Branch[]> {
    return this.prisma.paymentBranch.findMany({
      where: { ...(filter.bankId ? { bankId: filter.bankId } : {}), ...(filter.flag ? { bank: { [filter.flag]: true } } : {}) },
      select: { bankId: true, branchId: true, branchName: true },
      orderBy: [{ bankId: 'asc' }, { branchId: 'asc' }],
    });
  }

  /** Every app's slabs, ascending by maxAmount (small: a handful of apps with a few slabs each). */
  async chargeSlabs(appId?: string): Promise<ChargeSlab[]> {
    const rows = await this.prisma.paymentChargeSlab.findMany({ where: appId ? { appId } : {}, orderBy: [{ appId: 'asc' }, { maxAmount: 'asc' }] });
    return rows.map((row) => ({
      appId: row.appId,
      scheme: row.scheme,
      currency: row.currency,
      maxAmount: row.maxAmount.toFixed(2),
      minChargeAmount: row.minChargeAmount.toFixed(2),
      maxChargeAmount: row.maxChargeAmount.toFixed(2),
      percent: percentText(row.percent),
    }));
  }

  async autoReleaseLimits(bankId?: string): Promise<(AutoReleaseLimit & { bankName: string })[]> {
    const rows = await this.prisma.paymentAutoReleaseLimit.findMany({ where: bankId ? { bankId } : {}, orderBy: [{ bankId: 'asc' }, { categoryPurpose: 'asc' }] });
    const names = new Map((await this.prisma.paymentBank.findMany({ select: { bankId: true, bankName: true } })).map((b) => [b.bankId, b.bankName]));
    return rows.map((row) => ({
      bankId: row.bankId,
      bankName: names.get(row.bankId) ?? row.bankId,
      categoryPurpose: row.categoryPurpose,
      maxAmount: row.maxAmount.toFixed(2),
      currency: row.currency,
      status: row.status,
    }));
  }
}

async function upsertBank(tx: Tx, bank: DirectoryBank): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO "payment"."bank" (bank_id, bank_name, cips_enabled, ips_enabled, account_validation_enabled, auto_reversal_enabled)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (bank_id) DO UPDATE SET bank_name = EXCLUDED.bank_name, cips_enabled = EXCLUDED.cips_enabled, ips_enabled = EXCLUDED.ips_enabled,
       account_validation_enabled = EXCLUDED.account_validation_enabled, auto_reversal_enabled = EXCLUDED.auto_reversal_enabled`,
    bank.bankId,
    bank.bankName,
    bank.cipsEnabled,
    bank.ipsEnabled,
    bank.accountValidationEnabled,
    bank.autoReversalEnabled,
  );
  // The bank's branch list is replaced whole: branches no longer listed go away.
  await tx.paymentBranch.deleteMany({ where: { bankId: bank.bankId, branchId: { notIn: bank.branches.map((b) => b.branchId) } } });
  if (bank.branches.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "payment"."branch" (bank_id, branch_id, branch_name)
     SELECT $1, b.branch_id, b.branch_name FROM unnest($2::text[], $3::text[]) AS b(branch_id, branch_name)
     ON CONFLICT (bank_id, branch_id) DO UPDATE SET branch_name = EXCLUDED.branch_name`,
    bank.bankId,
    bank.branches.map((b) => b.branchId),
    bank.branches.map((b) => b.branchName),
  );
}
