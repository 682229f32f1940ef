import type {
  AutoReleaseLimit,
  Bank,
  BatchDecision,
  BatchKind,
  BatchRecord,
  Branch,
  ChargeSlab,
  CreditStatus,
  DebitCap,
  DebitCapWithUsage,
  DirectoryBank,
  DirectoryChange,
  KnownAccount,
  Member,
  MemberCertificate,
  NewBatch,
  NewMember,
  NewWhitelistEntry,
  OutboxEventRow,
  PaymentContext,
  PaymentContextQuery,
  PreparedBill,
  RecordBatchResult,
  RecordedBatchIds,
  StoredAnswer,
  WhitelistEntry,
} from './types';

/**
 * The storage ports of payment-service, one per concern, with their injection tokens. The app
 * depends on these; `PaymentDataAccessModule` binds them to the Prisma adapters of this library,
 * unit specs to in-memory fakes. Amounts cross them as decimal text (`"1500.00"`).
 */

/** Members and their signing certificates (several valid at once during a rotation). */
export interface MemberRepository {
  /** Creates the member, or updates the existing one with that code (seeding is idempotent). */
  upsertMember(input: NewMember): Promise<Member>;
  findByUserId(userId: string): Promise<Member | null>;
  findByCode(code: string): Promise<Member | null>;
  setStatus(memberId: string, status: Member['status']): Promise<void>;
  /** Registers a certificate (PEM); the same certificate twice (by SHA-256 fingerprint) is a no-op. */
  addCertificate(memberId: string, certificatePem: string): Promise<MemberCertificate>;
  /** Certificates not revoked and valid at `at`. */
  activeCertificates(memberId: string, at: Date): Promise<MemberCertificate[]>;
}

/** connectIPS banks, branches and the accounts known to the system. */
export interface BankRepository {
  /** Idempotent: banks, branches and accounts are upserted. */
  seed(banks: readonly (Bank & { branches: readonly Omit<Branch, 'bankId'>[] })[], accounts?: readonly KnownAccount[]): Promise<void>;
  banks(): Promise<Bank[]>;
  bank(bankId: string): Promise<Bank | null>;
  branches(bankId: string): Promise<Branch[]>;
  /** Every bank with the ids of its branches. */
  branchIndex(): Promise<Map<string, Set<string>>>;
  branchExists(bankId: string, branchId: string): Promise<boolean>;
  account(bankId: string, accountId: string): Promise<KnownAccount | null>;
}

/** Debtor accounts each member may debit, with the Debit Authorization Letter behind each. */
export interface WhitelistRepository {
  /** The same (member, bank, account) again re-activates the entry on the given letter. */
  add(input: NewWhitelistEntry): Promise<WhitelistEntry>;
  /** Null when the entry does not exist. */
  suspend(entryId: string, by: string, at: Date): Promise<WhitelistEntry | null>;
  list(memberId: string, options?: { activeAt?: Date }): Promise<WhitelistEntry[]>;
  /** The entry that lets `memberId` debit this account at `at`, if any. */
  findActive(memberId: string, bankId: string, accountId: string, at: Date): Promise<WhitelistEntry | null>;
}

/**
 * Debit caps per member per bank, cumulative per settlement session. A batch's reservation is made
 * by `BatchRepository.record` (it commits with the batch); `reserve`/`release` are the same rule alone.
 */
export interface DebitCapRepository {
  setCap(input: { memberId: string; bankId: string; capAmount: string; perTransactionLimit?: string | null; updatedBy: string }): Promise<DebitCap>;
  find(memberId: string, bankId: string): Promise<DebitCap | null>;
  /** Every cap of the member with what the settlement session used of it. */
  listWithUsage(memberId: string, sessionId: string): Promise<DebitCapWithUsage[]>;
  /** `"0.00"` when nothing was reserved yet. */
  used(capId: string, sessionId: string): Promise<string>;
  /** Atomic: answers whether `amount` still fit under the cap; never pushes `used` past it. */
  reserve(capId: string, sessionId: string, amount: string): Promise<boolean>;
  /** Gives back a reservation; never below zero. */
  release(capId: string, sessionId: string, amount: string): Promise<void>;
}

/** The final credit status of one transaction (settlement). */
export interface CreditOutcome {
  creditStatus: CreditStatus;
  responseCode: string;
  responseMessage: string;
}

/** Batches and their transactions: the transaction APIs' one write path and the reports' reads. */
export interface BatchRepository {
  /** The stored answer of (member, batchId), for idempotent retries. */
  findAnswer(memberId: string, batchId: string): Promise<StoredAnswer | null>;
  /**
   * Claims (member, batchId), reserves the cap, stores the batch, its transactions, the answer
   * `decide` builds and its outbox events, all or nothing. A batchId already claimed (also
   * concurrently) answers `{kind: 'duplicate'}` with the stored answer.
   */
  record(batch: NewBatch, decide: (ids: RecordedBatchIds) => BatchDecision): Promise<RecordBatchResult>;
  findByBatchId(memberId: string, batchId: string, kinds: readonly BatchKind[]): Promise<BatchRecord | null>;
  /** Batches created in [from, to), in creation order, at most `limit` (default 1000). */
  listByDate(memberId: string, from: Date, to: Date, kinds: readonly BatchKind[], limit?: number): Promise<BatchRecord[]>;
  findById(batchRowId: bigint): Promise<BatchRecord | null>;
  /**
   * Moves the accepted batch's open transactions to the status `outcome` gives them, with its events,
   * atomically; a rejected credit releases its share of the cap. Answers how many were open (0 when
   * all are already final: a redelivery changes nothing).
   */
  settle(batchRowId: bigint, outcome: (record: BatchRecord) => { statuses: Map<bigint, CreditOutcome>; events: OutboxEventRow[] }): Promise<number>;
  /** Accepted → REVERSED with its whole reservation released and the events, atomically; false otherwise. */
  reverse(batchRowId: bigint, events: readonly OutboxEventRow[]): Promise<boolean>;
  /** Sum of accepted batch amounts for one cap and session. */
  acceptedTotal(capId: string, sessionId: string): Promise<string>;
}

export type DirectoryBankFlag = 'cipsEnabled' | 'ipsEnabled' | 'accountValidationEnabled' | 'autoReversalEnabled';

/** The NCHL directory as data: banks with their flags and branches, charge slabs per app, auto-release limits. */
export interface DirectoryRepository {
  isEmpty(): Promise<boolean>;
  /** Replaces each listed entity whole and writes the events, in one transaction. */
  apply(change: DirectoryChange, events: readonly OutboxEventRow[]): Promise<void>;
  /** Banks in bankId order; `flag` keeps only banks that have it. */
  banks(flag?: DirectoryBankFlag): Promise<Omit<DirectoryBank, 'branches'>[]>;
  bank(bankId: string): Promise<DirectoryBank | null>;
  /** Branches of the banks with `flag` (or of one bank), in bank then branch order. */
  branches(filter: { bankId?: string; flag?: 'cipsEnabled' | 'ipsEnabled' }): Promise<Branch[]>;
  /** Slabs by app, ascending by maxAmount. */
  chargeSlabs(appId?: string): Promise<ChargeSlab[]>;
  autoReleaseLimits(bankId?: string): Promise<(AutoReleaseLimit & { bankName: string })[]>;
}

/** Bills that live NPI Billers sessions prepared: the only ones confirmable. */
export interface PreparedBillRepository {
  /** A redelivered event changes nothing (and never un-confirms a bill); `tx` is the consumer's transaction. */
  remember(bill: Omit<PreparedBill, 'confirmedAt'>, tx?: unknown): Promise<void>;
  find(participantCode: string, batchId: string): Promise<PreparedBill | null>;
  /** Marks the bill confirmed once; answers false if it already was (or does not exist). */
  markConfirmed(participantCode: string, batchId: string, at: Date): Promise<boolean>;
}

export const MEMBER_REPOSITORY = Symbol.for('npi.payment.MemberRepository');
export const BANK_REPOSITORY = Symbol.for('npi.payment.BankRepository');
export const WHITELIST_REPOSITORY = Symbol.for('npi.payment.WhitelistRepository');
export const DEBIT_CAP_REPOSITORY = Symbol.for('npi.payment.DebitCapRepository');
export const BATCH_REPOSITORY = Symbol.for('npi.payment.BatchRepository');
export const DIRECTORY_REPOSITORY = Symbol.for('npi.payment.DirectoryRepository');
export const PREPARED_BILL_REPOSITORY = Symbol.for('npi.payment.PreparedBillRepository');
export const PAYMENT_CONTEXT_REPOSITORY = Symbol.for('npi.payment.PaymentContextRepository');

/**
 * The reads of one transaction request (member, live certificates, an earlier answer, whitelist,
 * cap) in one round trip: the same rows the repositories above read one by one.
 */
export interface PaymentContextRepository {
  read(query: PaymentContextQuery): Promise<PaymentContext>;
}
