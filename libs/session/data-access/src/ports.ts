/**
 * The persistence ports session-service depends on, and the plain records they exchange. The app
 * binds these tokens to the Prisma adapters of this library (or to fakes in unit tests).
 */
import type { OutboxRow } from '@npi/database';

export type ParticipantStatus = 'ACTIVE' | 'SUSPENDED';
export type KeyUse = 'SIG' | 'ENC';
export type SessionState = 'ACTIVE' | 'BILL_PREPARED' | 'COMPLETED' | 'EXPIRED';

export interface ParticipantKeyRecord {
  kid: string;
  use: KeyUse;
  publicKeyPem: string;
  createdAt: Date;
}

export interface ParticipantRecord {
  code: string;
  name: string;
  status: ParticipantStatus;
  allowedAlgorithms: string[];
  hostOrigins: string[];
  channels: string[];
  enabledBillers: string[];
  keys: ParticipantKeyRecord[];
}

export interface BillerFormField {
  fieldName: string;
  label: string;
  labelNe: string;
  /** npiObject field the value goes to: `amount`, `refId`, `endToEndId`, `remarks`, `freeText1`.. */
  mapField: string;
  /** Anchored regular expression the value must match (validated on the page and the server). */
  pattern: string;
  required: boolean;
  kind: 'text' | 'amount' | 'tel';
}

export interface BillerCreditor {
  creditorAgent: string;
  creditorBranch: string;
  creditorAccount: string;
  creditorName: string;
  appId: string;
  categoryPurpose: string;
}

export interface BillerRecord {
  code: string;
  name: string;
  nameNe: string;
  group: string;
  icon: string;
  form: BillerFormField[];
  creditor: BillerCreditor;
  enabled: boolean;
}

export interface BillersSessionRecord {
  sessionId: string;
  participantCode: string;
  channel: string;
  state: SessionState;
  createdAt: Date;
  expiresAt: Date;
  batchId: string | null;
  instructionId: string | null;
  billerCode: string | null;
  amount: string | null;
  completedAt: Date | null;
}

export interface NewSession {
  sessionId: string;
  participantCode: string;
  channel: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface PreparedBill {
  batchId: string;
  instructionId: string;
  billerCode: string;
  amount: string;
}

/** The outbox row type of @npi/database (what `outboxRow()` builds and `writeOutbox` writes). */
export type OutboxEventRow = OutboxRow;

export interface HostParticipantRepository {
  upsert(participant: ParticipantRecord, now: Date): Promise<void>;
  find(code: string): Promise<ParticipantRecord | undefined>;
  list(): Promise<ParticipantRecord[]>;
}

export interface BillerRepository {
  upsert(biller: BillerRecord): Promise<void>;
  find(code: string): Promise<BillerRecord | undefined>;
  list(): Promise<BillerRecord[]>;
}

export interface BillersSessionRepository {
  /**
   * Inserts the session unless its id exists; answers whether this call created it. The primary
   * key makes it atomic: of two simultaneous loads of one session_id, exactly one gets `true`.
   */
  createIfAbsent(session: NewSession): Promise<boolean>;
  find(sessionId: string): Promise<BillersSessionRecord | undefined>;
  /** ACTIVE and unexpired at `now` → EXPIRED; answers whether it changed. */
  markExpired(sessionId: string, now: Date): Promise<boolean>;
  /**
   * ACTIVE (or BILL_PREPARED, re-prepared) and unexpired at `now` → BILL_PREPARED with the bill,
   * and the outbox event in the same transaction. Answers false when the session is not live.
   */
  prepareBill(sessionId: string, bill: PreparedBill, now: Date, event: OutboxEventRow): Promise<boolean>;
  /** BILL_PREPARED with this batch → COMPLETED. `transaction` is the consumer's (processed-event) transaction. */
  markCompleted(sessionId: string, batchId: string, now: Date, transaction?: unknown): Promise<boolean>;
}

export const HOST_PARTICIPANT_REPOSITORY = Symbol.for('npi.session.HostParticipantRepository');
export const BILLER_REPOSITORY = Symbol.for('npi.session.BillerRepository');
export const BILLERS_SESSION_REPOSITORY = Symbol.for('npi.session.BillersSessionRepository');

/** One NCHL charge slab (decimal text), as payment-service's directory publishes it. */
export interface ChargeSlabRecord {
  maxAmount: string;
  minChargeAmount: string;
  maxChargeAmount: string;
  percent: string;
}

/** session-service's copy of the charge slabs per app, kept by payments.directory.changed.v1. */
export interface ChargeSlabRepository {
  /** Replaces an app's slabs unless the stored copy is from a later change; in the caller's transaction if given. */
  replace(appId: string, slabs: readonly ChargeSlabRecord[], changedAt: Date, transaction?: unknown): Promise<void>;
  slabsOf(appId: string): Promise<ChargeSlabRecord[]>;
}

export const CHARGE_SLAB_REPOSITORY = Symbol.for('npi.session.ChargeSlabRepository');
