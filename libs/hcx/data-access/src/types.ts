/** Rows and ports of the hcx schema. The app depends on these interfaces, never on Prisma. */
export type ParticipantStatus = 'Created' | 'Active' | 'Inactive' | 'Blocked';

export interface ParticipantRecord {
  participantCode: string;
  name: string;
  roles: string[];
  status: ParticipantStatus;
  primaryEmail: string;
  primaryMobile: string | null;
  endpointUrl: string;
  encryptionCert: string;
  signingCert: string;
  /** AES-256-GCM ciphertext of the client_secret (never the secret itself). */
  secretCiphertext: string;
  secretKekId: string;
  secretVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewParticipant = Omit<ParticipantRecord, 'createdAt' | 'updatedAt' | 'secretVersion'>;

export interface ParticipantChanges {
  name?: string;
  roles?: string[];
  primaryEmail?: string;
  primaryMobile?: string | null;
  endpointUrl?: string;
  encryptionCert?: string;
  signingCert?: string;
  status?: ParticipantStatus;
  /** A rotation: new ciphertext, its KEK id; bumps secret_version. */
  secret?: { ciphertext: string; kekId: string };
}

export interface ParticipantSearch {
  participantCode?: string;
  role?: string;
  status?: ParticipantStatus;
  name?: string;
  limit: number;
}

/** What goes into hcx.outbox_event in the same transaction (from `outboxRow()` of @npi/database). */
export interface OutboxEventRow {
  id: string;
  topic: string;
  key: string | null;
  payload: object;
  headers: Record<string, string>;
}

export interface ParticipantRepository {
  create(participant: NewParticipant, event: (record: ParticipantRecord) => OutboxEventRow): Promise<ParticipantRecord | 'exists'>;
  find(participantCode: string): Promise<ParticipantRecord | null>;
  search(filter: ParticipantSearch): Promise<ParticipantRecord[]>;
  update(participantCode: string, changes: ParticipantChanges, event: (record: ParticipantRecord) => OutboxEventRow): Promise<ParticipantRecord | null>;
}

export type DeliveryStatus = 'accepted' | 'delivered' | 'dead_lettered';

export interface ApiCallRecord {
  id: string;
  senderCode: string;
  recipientCode: string;
  apiCallId: string;
  correlationId: string;
  workflowId: string | null;
  apiPath: string;
  hcxStatus: string | null;
  headers: Record<string, unknown>;
  deliveryStatus: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  acceptedAt: Date;
  deliveredAt: Date | null;
}

export type NewApiCall = Omit<ApiCallRecord, 'deliveryStatus' | 'attempts' | 'lastError' | 'deliveredAt'>;

export interface ApiCallSearch {
  participantCode: string;
  correlationId?: string;
  workflowId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export interface ApiCallRepository {
  /** Atomic replay guard: 'duplicate' when (sender_code, api_call_id) exists, on any replica. */
  accept(call: NewApiCall, event: OutboxEventRow): Promise<'accepted' | 'duplicate'>;
  find(id: string): Promise<ApiCallRecord | null>;
  recordAttempt(id: string, attempts: number, lastError: string | null): Promise<void>;
  /** true only for the first caller: the delivery effect is recorded once. */
  markDelivered(id: string, at: Date, attempts: number): Promise<boolean>;
  /** true only for the first caller (the dead-letter row's primary key is the request id). */
  deadLetter(id: string, reason: string, attempts: number, callbackStatus: string): Promise<boolean>;
  findDeadLetter(id: string): Promise<{ reason: string; attempts: number; callbackStatus: string } | null>;
  search(filter: ApiCallSearch): Promise<ApiCallRecord[]>;
}

export interface SigningKeyRecord {
  kid: string;
  publicJwk: Record<string, unknown>;
  privateKeyCiphertext: string;
  kekId: string;
  active: boolean;
  createdAt: Date;
}

export interface SigningKeyRepository {
  list(): Promise<SigningKeyRecord[]>;
  /** Inserts `candidate` unless an active key exists (serialised across replicas); returns the active key. */
  activeOrInsert(candidate: () => Omit<SigningKeyRecord, 'createdAt' | 'active'>): Promise<SigningKeyRecord>;
  /** Rotation: the new key becomes the only active one; old ones stay published in the JWKS. */
  rotate(next: Omit<SigningKeyRecord, 'createdAt' | 'active'>): Promise<SigningKeyRecord>;
}

export const PARTICIPANT_REPOSITORY = Symbol.for('hcx.ParticipantRepository');
export const API_CALL_REPOSITORY = Symbol.for('hcx.ApiCallRepository');
export const SIGNING_KEY_REPOSITORY = Symbol.for('hcx.SigningKeyRepository');
