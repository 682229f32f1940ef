import { Module } from '@nestjs/common';
import type { DynamicModule, Provider } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { BANK_REPOSITORY, BATCH_REPOSITORY, DEBIT_CAP_REPOSITORY, DIRECTORY_REPOSITORY, MEMBER_REPOSITORY, PAYMENT_CONTEXT_REPOSITORY, PREPARED_BILL_REPOSITORY, WHITELIST_REPOSITORY } from './ports';
import { PrismaBankRepository } from './prisma-bank.repository';
import { PrismaBatchRepository } from './prisma-batch.repository';
import { PrismaDebitCapRepository } from './prisma-debit-cap.repository';
import { PrismaDirectoryRepository } from './prisma-directory.repository';
import { PrismaMemberRepository } from './prisma-member.repository';
import { PrismaPaymentContextRepository } from './prisma-payment-context.repository';
import { PrismaPreparedBillRepository } from './prisma-prepared-bill.repository';
import { PrismaWhitelistRepository } from './prisma-whitelist.repository';

const repository = (token: symbol, Type: new (prisma: PrismaClient) => unknown): Provider => ({
  provide: token,
  useFactory: (prisma: PrismaClient) => new Type(prisma),
  inject: [PRISMA_CLIENT],
});

export interface PaymentDataAccessOptions {
  /** Group-committed write transactions one process runs at once (keep it below the pool size). Default 2. */
  maxConcurrentWrites?: number;
}

/** Binds payment-service's ports (`ports.ts`) to the Prisma adapters, over the platform's Prisma client. */
@Module({})
export class PaymentDataAccessModule {
  static register(options: PaymentDataAccessOptions = {}): DynamicModule {
    const providers: Provider[] = [
      repository(MEMBER_REPOSITORY, PrismaMemberRepository),
      repository(BANK_REPOSITORY, PrismaBankRepository),
      repository(DIRECTORY_REPOSITORY, PrismaDirectoryRepository),
      repository(WHITELIST_REPOSITORY, PrismaWhitelistRepository),
      repository(DEBIT_CAP_REPOSITORY, PrismaDebitCapRepository),
      { provide: BATCH_REPOSITORY, useFactory: (prisma: PrismaClient) => new PrismaBatchRepository(prisma, options.maxConcurrentWrites ?? 2), inject: [PRISMA_CLIENT] },
      repository(PREPARED_BILL_REPOSITORY, PrismaPreparedBillRepository),
      repository(PAYMENT_CONTEXT_REPOSITORY, PrismaPaymentContextRepository),
    ];
    return { module: PaymentDataAccessModule, providers, exports: providers };
  }
}
