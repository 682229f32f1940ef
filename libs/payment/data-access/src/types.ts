/**
 * What payment-service's rules read and write, in its own words. Amounts cross this boundary as
 * canonical decimal text (`"1500.00"`), never as floats: PostgreSQL NUMERIC does the arithmetic.
 */
import type { OutboxRow } from '@npi/database';

export type MemberKind = 'BANK' | 'NON_BANK';
export type MemberStatus = 'ACTIVE' | 'SUSPENDED';
export type WhitelistStatus = 'ACCEPTED' | 'SUSPENDED';
export type BatchKind = 'CIPS' | 'NCHLIPS' | 'BILLPAY';
export type BatchStatus = 'ACCEPTED' | 'REJECTED' | 'REVERSED';
export type CreditStatus = 'ACTC' | 'ACSP' | 'ACSC' | 'RJCT';

export interface Member {
  id: string;
  code: string;
  name: string;
  kind: MemberKind;
  bankId: string | null;
  oauthClientId: string | null;
  userId: string;
  status: MemberStatus;
}

export interface NewMember {
  code: string;
  name: string;
  kind: MemberKind;
  bankId?: string | null;
  oauthClientId?: string | null;
  userId: string;
}

export interface MemberCertificate {
  id: string;
  memberId: string;
  certificatePem: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

export interface Bank {
  bankId: string;
  bankName: string;
}

export interface Branch {
  bankId: string;
  branchId: string;
  branchName: string;
}

/** A bank of the directory with the NCHL lists it appears in and all its branches. */
export interface DirectoryBank extends Bank {
  cipsEnabled: boolean;
  ipsEnabled: boolean;
  accountValidationEnabled: boolean;
  autoReversalEnabled: boolean;
  branches: { branchId: string; branchName: string }[];
}

/** One charge slab of an app (decimal text): applies to amounts up to `maxAmount`. */
export interface ChargeSlab {
  appId: string;
  scheme: string;
  currency: string;
  maxAmount: string;
  minChargeAmount: string;
  maxChargeAmount: string;
  percent: string;
}

export interface AutoReleaseLimit {
  bankId: string;
  categoryPurpose: string;
  maxAmount: string;
  currency: string;
  status: string;
}

/** A directory change: each listed entity replaces the stored one whole. */
export interface DirectoryChange {
  banks?: readonly DirectoryBank[];
  removedBankIds?: readonly string[];
  chargeSlabs?: readonly { appId: string; slabs: readonly Omit<ChargeSlab, 'appId'>[] }[];
  autoReleaseLimits?: readonly { bankId: string; limits: readonly Omit<AutoReleaseLimit, 'bankId'>[] }[];
}

export interface KnownAccount {
  bankId: string;
  branchId: string;
  accountId: string;
  accountName: string;
  currency: string;
}

export interface DebitAuthorizationLetter {
  letterNumber: string;
  /** ISO date (YYYY-MM-DD) printed on the letter. */
  letterDate: string;
  letterIssuingBank: string;
  /** SHA-256 (hex) of the scanned letter as filed. */
  letterDocumentHash: string;
}

export interface WhitelistEntry extends DebitAuthorizationLetter {
  id: string;
  memberId: string;
  bankId: string;
  branchId: string;
  accountId: string;
  accountName: string;
  status: WhitelistStatus;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  recordedBy: string;
  suspendedBy: string | null;
  suspendedAt: Date | null;
  createdAt: Date;
}

export interface NewWhitelistEntry extends DebitAuthorizationLetter {
  memberId: string;
  bankId: string;
  branchId: string;
  accountId: string;
  accountName: string;
  effectiveFrom: Date;
  effectiveTo?: Date | null;
  recordedBy: string;
}

export interface DebitCap {
  id: string;
  memberId: string;
  bankId: string;
  capAmount: string;
  perTransactionLimit: string | null;
}

export interface DebitCapWithUsage extends DebitCap {
  sessionId: string;
  used: string;
}

export interface NewTransaction {
  instructionId: string;
  endToEndId: string | null;
  amount: string;
  purpose: string | null;
  creditorAgent: string;
  creditorBranch: string;
  creditorName: string | null;
  creditorAccount: string;
  /** The charge of the app's slab for this amount (decimal text; none: 0) and that app. */
  chargeAmount?: string;
  appId?: string | null;
}

/** A batch about to be recorded. `reservation` set: reserve the cap atomically before accepting. */
export interface NewBatch {
  memberId: string;
  batchId: string;
  kind: BatchKind;
  debtorAgent: string;
  debtorBranch: string;
  debtorAccount: string;
  debtorName: string | null;
  batchAmount: string;
  batchCurrency: string;
  categoryPurpose: string | null;
  requestHash: string;
  userId: string;
  transactions: readonly NewTransaction[];
  reservation: { capId: string; sessionId: string; amount: string } | null;
  /** Already refused by a rule that needs no reservation (not whitelisted, ...). */
  refusal: { responseCode: string; responseMessage: string } | null;
}

/** Outcome handed to the caller's answer builder inside the recording transaction. */
export interface RecordedBatchIds {
  batchRowId: bigint;
  transactionIds: readonly bigint[];
  /** true: reserved; false: the cap would have been exceeded; null: no reservation asked. */
  reserved: boolean | null;
}

/** The outbox row type of @npi/database (what `outboxRow()` builds and `writeOutbox` writes). */
export type OutboxEventRow = OutboxRow;

export interface BatchDecision {
  status: 'ACCEPTED' | 'REJECTED';
  responseCode: string;
  responseMessage: string;
  debitStatus: string | null;
  creditStatus: CreditStatus | null;
  transactionResponseCode: string;
  transactionResponseMessage: string;
  httpStatus: number;
  responseBody: object;
  events: readonly OutboxEventRow[];
}

export interface StoredAnswer {
  requestHash: string;
  httpStatus: number;
  responseBody: object;
}

export type RecordBatchResult =
  | { kind: 'recorded'; httpStatus: number; responseBody: object; batchRowId: bigint; status: 'ACCEPTED' | 'REJECTED' }
  | { kind: 'duplicate'; existing: StoredAnswer };

export interface BatchRecord {
  id: bigint;
  memberId: string;
  batchId: string;
  kind: BatchKind;
  status: BatchStatus;
  debtorAgent: string;
  debtorBranch: string;
  debtorAccount: string;
  debtorName: string | null;
  batchAmount: string;
  batchCurrency: string;
  categoryPurpose: string | null;
  batchCount: number;
  capId: string | null;
  settlementSessionId: string | null;
  responseCode: string;
  responseMessage: string;
  debitStatus: string | null;
  userId: string;
  createdAt: Date;
  transactions: TransactionRecord[];
}

export interface TransactionRecord {
  id: bigint;
  instructionId: string;
  endToEndId: string | null;
  amount: string;
  purpose: string | null;
  creditorAgent: string;
  creditorBranch: string;
  creditorName: string | null;
  creditorAccount: string;
  creditStatus: CreditStatus | null;
  chargeAmount: string;
  appId: string | null;
  responseCode: string;
  responseMessage: string;
  updatedAt: Date;
}

export interface PreparedBill {
  participantCode: string;
  sessionId: string;
  batchId: string;
  instructionId: string;
  endToEndId: string | null;
  transactionId: string | null;
  appId: string | null;
  refId: string | null;
  amount: string;
  billerCode: string;
  creditorAgent: string | null;
  creditorBranch: string | null;
  creditorAccount: string | null;
  expiresAt: Date;
  confirmedAt: Date | null;
}

/** What one transaction request reads before its decision (`PaymentContextRepository.read`). */
export interface PaymentContextQuery {
  /** The OAuth username behind the access token (NCHL's userId). */
  userId: string;
  /** The posted batch's id, debtor bank and account (empty strings when the body lacks them). */
  batchId: string;
  debtorAgent: string;
  debtorAccount: string;
  at: Date;
}

export interface PaymentContext {
  member: Member | null;
  /** The member's certificates live at `at`, newest first. */
  certificates: MemberCertificate[];
  /** The answer already recorded for (member, batchId), if any. */
  previousAnswer: StoredAnswer | null;
  /** An accepted whitelist entry of the member covers the debtor account at `at`. */
  whitelisted: boolean;
  /** The member's debit cap at the debtor bank. */
  cap: DebitCap | null;
}
