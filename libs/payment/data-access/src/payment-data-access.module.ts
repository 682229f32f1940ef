import { Module } from '@nestjs/common';
import type { DynamicModule, Provider } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { BatchRepository } from './batch.repository';
import { DebitCapRepository } from './debit-cap.repository';
import { DirectoryRepository } from './directory.repository';
import { PreparedBillRepository } from './prepared-bill.repository';
import { BankRegistry, MemberRegistry } from './registry.repository';
import { BANK_REGISTRY, BATCH_REPOSITORY, DEBIT_CAP_REPOSITORY, DIRECTORY_REPOSITORY, MEMBER_REGISTRY, PREPARED_BILL_REPOSITORY, WHITELIST_REPOSITORY } from './tokens';
import { WhitelistRepository } from './whitelist.repository';

const repository = (token: symbol, Type: new (prisma: PrismaClient) => unknown): Provider => ({
  provide: token,
  useFactory: (prisma: PrismaClient) => new Type(prisma),
  inject: [PRISMA_CLIENT],
});

export interface PaymentDataAccessOptions {
  /** Write transactions one process runs at once (keep it below the pool size). Default 8. */
  maxConcurrentWrites?: number;
}

/** The repositories behind payment-service's ports, over the platform's Prisma client. */
@Module({})
export class PaymentDataAccessModule {
  static register(options: PaymentDataAccessOptions = {}): DynamicModule {
    const providers: Provider[] = [
      repository(MEMBER_REGISTRY, MemberRegistry),
      repository(BANK_REGISTRY, BankRegistry),
      repository(DIRECTORY_REPOSITORY, DirectoryRepository),
      repository(WHITELIST_REPOSITORY, WhitelistRepository),
      repository(DEBIT_CAP_REPOSITORY, DebitCapRepository),
      { provide: BATCH_REPOSITORY, useFactory: (prisma: PrismaClient) => new BatchRepository(prisma, options.maxConcurrentWrites ?? 8), inject: [PRISMA_CLIENT] },
      repository(PREPARED_BILL_REPOSITORY, PreparedBillRepository),
    ];
    return { module: PaymentDataAccessModule, providers, exports: providers };
  }
}
