// Public API of @npi/payment/data-access: the only code that touches the `payment` schema.
export { PaymentDataAccessModule } from './payment-data-access.module';
export type { PaymentDataAccessOptions } from './payment-data-access.module';
export { BANK_REPOSITORY, BATCH_REPOSITORY, DEBIT_CAP_REPOSITORY, DIRECTORY_REPOSITORY, MEMBER_REPOSITORY, PAYMENT_CONTEXT_REPOSITORY, PREPARED_BILL_REPOSITORY, WHITELIST_REPOSITORY } from './ports';
export type {
  BankRepository,
  BatchRepository,
  CreditOutcome,
  DebitCapRepository,
  DirectoryBankFlag,
  DirectoryRepository,
  MemberRepository,
  PaymentContextRepository,
  PreparedBillRepository,
  WhitelistRepository,
} from './ports';
export { PrismaBankRepository } from './prisma-bank.repository';
export { PrismaBatchRepository } from './prisma-batch.repository';
export { PrismaDebitCapRepository } from './prisma-debit-cap.repository';
export { PrismaDirectoryRepository } from './prisma-directory.repository';
export { PrismaMemberRepository } from './prisma-member.repository';
export { PrismaPaymentContextRepository } from './prisma-payment-context.repository';
export { PrismaPreparedBillRepository } from './prisma-prepared-bill.repository';
export { PrismaWhitelistRepository } from './prisma-whitelist.repository';
export type * from './types';
