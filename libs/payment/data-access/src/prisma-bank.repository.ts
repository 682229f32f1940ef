import type { PrismaClient } from '@npi/database';
import type { BankRepository } from './ports';
import type { Bank, Branch, KnownAccount } from './types';

/** connectIPS banks, branches and the accounts known to the system. */
export class PrismaBankRepository implements BankRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async seed(banks: readonly (Bank & { branches: readonly Omit<Branch, 'bankId'>[] })[], accounts: readonly KnownAccount[] = []): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const bank of banks) {
        await tx.paymentBank.upsert({ where: { bankId: bank.bankId }, create: { bankId: bank.bankId, bankName: bank.bankName }, update: { bankName: bank.bankName } });
        for (const branch of bank.branches) {
          await tx.paymentBranch.upsert({
            where: { bankId_branchId: { bankId: bank.bankId, branchId: branch.branchId } },
            create: { bankId: bank.bankId, branchId: branch.branchId, branchName: branch.branchName },
            update: { branchName: branch.branchName },
          });
        }
      }
      for (const account of accounts) {
        await tx.paymentKnownAccount.upsert({
          where: { bankId_accountId: { bankId: account.bankId, accountId: account.accountId } },
          create: account,
          update: { branchId: account.branchId, accountName: account.accountName, currency: account.currency },
        });
      }
    });
  }

  async banks(): Promise<Bank[]> {
    return this.prisma.paymentBank.findMany({ orderBy: { bankId: 'asc' } });
  }

  async bank(bankId: string): Promise<Bank | null> {
    return this.prisma.paymentBank.findUnique({ where: { bankId } });
  }

  async branches(bankId: string): Promise<Branch[]> {
    return this.prisma.paymentBranch.findMany({ where: { bankId }, orderBy: { branchId: 'asc' } });
  }

  /** Every bank with the ids of its branches (small: connectIPS has tens of banks). */
  async branchIndex(): Promise<Map<string, Set<string>>> {
    const index = new Map<string, Set<string>>((await this.banks()).map((bank) => [bank.bankId, new Set<string>()]));
    for (const branch of await this.prisma.paymentBranch.findMany({ select: { bankId: true, branchId: true } })) index.get(branch.bankId)?.add(branch.branchId);
    return index;
  }

  async branchExists(bankId: string, branchId: string): Promise<boolean> {
    return (await this.prisma.paymentBranch.count({ where: { bankId, branchId } })) > 0;
  }

  async account(bankId: string, accountId: string): Promise<KnownAccount | null> {
    return this.prisma.paymentKnownAccount.findUnique({ where: { bankId_accountId: { bankId, accountId } } });
  }
}
