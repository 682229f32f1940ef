// Public API of @npi/payment/data-access: the only code that touches the `payment` schema.
export { PaymentDataAccessModule } from './payment-data-access.module';
export { BANK_REGISTRY, BATCH_REPOSITORY, DEBIT_CAP_REPOSITORY, DIRECTORY_REPOSITORY, MEMBER_REGISTRY, PREPARED_BILL_REPOSITORY, WHITELIST_REPOSITORY } from './tokens';
export type { PaymentDataAccessOptions } from './payment-data-access.module';
export { BankRegistry, MemberRegistry } from './registry.repository';
export { WhitelistRepository } from './whitelist.repository';
export { DebitCapRepository } from './debit-cap.repository';
export { DirectoryRepository } from './directory.repository';
export { BatchRepository } from './batch.repository';
export { PreparedBillRepository } from './prepared-bill.repository';
export type * from './types';
