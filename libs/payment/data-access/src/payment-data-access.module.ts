import { Module } from '@nestjs/common';
import type { Provider } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { BatchRepository } from './batch.repository';
import { DebitCapRepository } from './debit-cap.repository';
import { PreparedBillRepository } from './prepared-bill.repository';
import { BankRegistry, MemberRegistry } from './registry.repository';
import { BANK_REGISTRY, BATCH_REPOSITORY, DEBIT_CAP_REPOSITORY, MEMBER_REGISTRY, PREPARED_BILL_REPOSITORY, WHITELIST_REPOSITORY } from './tokens';
import { WhitelistRepository } from './whitelist.repository';

const repository = (token: symbol, Type: new (prisma: PrismaClient) => unknown): Provider => ({
  provide: token,
  useFactory: (prisma: PrismaClient) => new Type(prisma),
  inject: [PRISMA_CLIENT],
});

const providers: Provider[] = [
  repository(MEMBER_REGISTRY, MemberRegistry),
  repository(BANK_REGISTRY, BankRegistry),
  repository(WHITELIST_REPOSITORY, WhitelistRepository),
  repository(DEBIT_CAP_REPOSITORY, DebitCapRepository),
  repository(BATCH_REPOSITORY, BatchRepository),
  repository(PREPARED_BILL_REPOSITORY, PreparedBillRepository),
];

/** The repositories behind payment-service's ports, over the platform's Prisma client. */
@Module({ providers, exports: providers })
export class PaymentDataAccessModule {}
