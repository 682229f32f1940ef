/** Injection tokens of payment-service's repositories (the app depends on these, not on Prisma). */
export const MEMBER_REGISTRY = Symbol.for('npi.payment.MemberRegistry');
export const BANK_REGISTRY = Symbol.for('npi.payment.BankRegistry');
export const WHITELIST_REPOSITORY = Symbol.for('npi.payment.WhitelistRepository');
export const DEBIT_CAP_REPOSITORY = Symbol.for('npi.payment.DebitCapRepository');
export const BATCH_REPOSITORY = Symbol.for('npi.payment.BatchRepository');
export const DIRECTORY_REPOSITORY = Symbol.for('npi.payment.DirectoryRepository');
export const PREPARED_BILL_REPOSITORY = Symbol.for('npi.payment.PreparedBillRepository');
