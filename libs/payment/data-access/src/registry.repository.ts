import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { PrismaClient } from '@npi/database';
import type { Bank, Branch, KnownAccount, Member, MemberCertificate, NewMember } from './types';

/** Members and their signing certificates (seed 001 section 7.4: verified with the member's certificate). */
export class MemberRegistry {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates the member, or returns the existing one with that code (seeding is idempotent). */
  async upsertMember(input: NewMember): Promise<Member> {
    const row = await this.prisma.paymentMember.upsert({
      where: { code: input.code },
      create: {
        id: randomUUID(),
        code: input.code,
        name: input.name,
        kind: input.kind,
        bankId: input.bankId ?? null,
        oauthClientId: input.oauthClientId ?? null,
        userId: input.userId,
      },
      update: { name: input.name, kind: input.kind, bankId: input.bankId ?? null, oauthClientId: input.oauthClientId ?? null, userId: input.userId },
    });
    return row;
  }

  async findByUserId(userId: string): Promise<Member | null> {
    return this.prisma.paymentMember.findUnique({ where: { userId } });
  }

  async findByCode(code: string): Promise<Member | null> {
    return this.prisma.paymentMember.findUnique({ where: { code } });
  }

  async setStatus(memberId: string, status: Member['status']): Promise<void> {
    await this.prisma.paymentMember.update({ where: { id: memberId }, data: { status } });
  }

  /** Registers a certificate (PEM) for the member; registering the same certificate twice is a no-op. */
  async addCertificate(memberId: string, certificatePem: string): Promise<MemberCertificate> {
    const certificate = new X509Certificate(certificatePem);
    const fingerprint = createHash('sha256').update(certificate.raw).digest('hex');
    return this.prisma.paymentMemberCertificate.upsert({
      where: { fingerprint },
      create: {
        id: randomUUID(),
        memberId,
        certificatePem: certificate.toString(),
        fingerprint,
        notBefore: new Date(certificate.validFrom),
        notAfter: new Date(certificate.validTo),
      },
      update: {},
    });
  }

  /** Certificates not revoked and valid at `at` (several during a rotation). */
  async activeCertificates(memberId: string, at: Date): Promise<MemberCertificate[]> {
    return this.prisma.paymentMemberCertificate.findMany({
      where: { memberId, revokedAt: null, notBefore: { lte: at }, notAfter: { gte: at } },
      orderBy: { createdAt: 'desc' },
    });
  }
}

/** connectIPS banks, branches and the accounts known to the system. */
export class BankRegistry {
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
