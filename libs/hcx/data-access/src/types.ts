/** Rows and ports of the hcx schema. The app depends on these interfaces, never on Prisma. */
import type { OutboxRow } from '@npi/database';

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
  /** HCX registry attributes without a column (address, additionalEmail, phone, payment_details, ...). */
  profile: ParticipantProfile;
  createdAt: Date;
  updatedAt: Date;
}

export type ParticipantProfile = Record<string, unknown>;

export type NewParticipant = Omit<ParticipantRecord, 'createdAt' | 'updatedAt' | 'secretVersion' | 'profile'> & { profile?: ParticipantProfile };

export interface ParticipantChanges {
  name?: string;
  roles?: string[];
  primaryEmail?: string;
  primaryMobile?: string | null;
  endpointUrl?: string;
  encryptionCert?: string;
  signingCert?: string;
  status?: ParticipantStatus;
  /** Replaces the whole profile. */
  profile?: ParticipantProfile;
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

/** Fields the HCX registry search filters on (spec names); nested `address.<key>` / `payment_details.<key>` too. */
export const PARTICIPANT_SEARCH_FIELDS = [
  'participant_code',
  'participant_name',
  'primaryEmail',
  'primaryMobile',
  'endpoint_url',
  'status',
  'roles',
  'scheme_code',
  'linked_registry_codes',
  'additionalEmail',
  'additionalMobile',
  'phone',
] as const;
export type ParticipantSearchField = (typeof PARTICIPANT_SEARCH_FIELDS)[number] | `address.${string}` | `payment_details.${string}`;

export const FILTER_OPERATORS = ['eq', 'neq', 'contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'or', 'range', 'gt', 'lt', 'gte', 'lte', 'queryString'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One HCX search condition; conditions are ANDed. `or` takes a list, `range` a [low, high] pair, the rest one string. */
export interface ParticipantFilter {
  field: ParticipantSearchField;
  operator: FilterOperator;
  value: string | string[];
}

export interface ParticipantQuery {
  filters: ParticipantFilter[];
  limit: number;
  offset: number;
}

/** The outbox row type of @npi/database (what `outboxRow()` builds and `writeOutbox` writes). */
export type OutboxEventRow = OutboxRow;

export interface ParticipantRepository {
  create(participant: NewParticipant, event: (record: ParticipantRecord) => OutboxEventRow): Promise<ParticipantRecord | 'exists'>;
  find(participantCode: string): Promise<ParticipantRecord | null>;
  search(filter: ParticipantSearch): Promise<ParticipantRecord[]>;
  /** HCX registry search: every filter ANDed, ordered by participant_code, then limit/offset. */
  query(query: ParticipantQuery): Promise<ParticipantRecord[]>;
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
  /** The originating request (not a callback, not a status call) of a correlation id that `participantCode` sent or received. */
  findOriginalRequest(correlationId: string, participantCode: string): Promise<ApiCallRecord | null>;
  find(id: string): Promise<ApiCallRecord | null>;
  /** Only the delivery status (null: no such request). */
  deliveryStatus(id: string): Promise<DeliveryStatus | null>;
  recordAttempt(id: string, attempts: number, lastError: string | null): Promise<void>;
  /** true only for the first caller: the delivery effect is recorded once (concurrent marks share one statement). */
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

export type SecretDeliveryReason = 'created' | 'rotated' | 'resend';

/** A pending client_secret delivery (the secret stays in the participant row, encrypted). */
export interface SecretDeliveryRecord {
  id: string;
  participantCode: string;
  secretVersion: number;
  reason: SecretDeliveryReason;
  attempts: number;
}

/**
 * The client_secret delivery outbox. create()/update() with a new secret write a row in the same
 * transaction; workers on any replica claim due rows with a lease (SKIP LOCKED), so each attempt runs
 * on one replica, and a row leaves 'pending' only when delivered or superseded by a newer secret.
 */
export interface SecretDeliveryRepository {
  /** An operator's re-send of the current secret; null when the participant does not exist. */
  requestResend(participantCode: string): Promise<SecretDeliveryRecord | null>;
  /** Due rows, leased for `leaseMs` (attempts counted at claim time). */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<SecretDeliveryRecord[]>;
  markDelivered(id: string, at: Date): Promise<void>;
  /** The participant's secret changed since: the newer row delivers it. */
  markSuperseded(id: string): Promise<void>;
  retryLater(id: string, at: Date, error: string): Promise<void>;
  pendingFor(participantCode: string): Promise<number>;
}

export const SECRET_DELIVERY_REPOSITORY = Symbol.for('hcx.SecretDeliveryRepository');
export const PARTICIPANT_REPOSITORY = Symbol.for('hcx.ParticipantRepository');
export const API_CALL_REPOSITORY = Symbol.for('hcx.ApiCallRepository');
export const SIGNING_KEY_REPOSITORY = Symbol.for('hcx.SigningKeyRepository');

/** Subscription status as the HCX notification document numbers it. */
export const SUBSCRIPTION_STATUS = { active: 1, inactive: 0, pending: -1, rejected: -2 } as const;
export type SubscriptionStatusCode = (typeof SUBSCRIPTION_STATUS)[keyof typeof SUBSCRIPTION_STATUS];

export interface SubscriptionRecord {
  subscriptionId: string;
  topicCode: string;
  subscriberCode: string;
  senderCode: string;
  status: SubscriptionStatusCode;
  createdAt: Date;
  updatedAt: Date;
}

export interface SubscriptionQuery {
  /** Rows the participant holds as subscriber or, when `asSender`, rows addressed to it as sender. */
  participantCode?: string;
  asSender?: boolean;
  topicCode?: string;
  senderCode?: string;
  subscriberCodes?: string[];
  subscriptionIds?: string[];
  status?: SubscriptionStatusCode;
  limit: number;
  offset: number;
}

/** One message the dispatcher delivers: its audit row and its hcx.request.routed.v1 outbox row. */
export interface Delivery {
  call: NewApiCall;
  event: OutboxEventRow;
}

export interface NotificationRecord {
  id: string;
  senderCode: string;
  correlationId: string;
  topicCode: string;
  recipientType: string | null;
  recipients: string[];
  headers: Record<string, unknown>;
  deliveries: number;
  createdAt: Date;
}

export interface NotificationDeliveryState {
  recipientCode: string;
  deliveryStatus: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
}

export interface NotificationSearch {
  topicCode?: string;
  senderCode?: string;
  correlationId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/**
 * Subscriptions, the notification audit and certificate-expiry notices. Every write that sends
 * something writes its deliveries (api_call rows + routed outbox rows) in the same transaction.
 */
export interface NotificationRepository {
  /** Creates the (topic, subscriber, sender) subscription or sets its status; `status(previous)` decides the new status. */
  upsertSubscription(
    key: { topicCode: string; subscriberCode: string; senderCode: string },
    newId: string,
    status: (previous: SubscriptionRecord | null) => SubscriptionStatusCode,
    deliveries: (record: SubscriptionRecord, previous: SubscriptionRecord | null) => Delivery[],
  ): Promise<SubscriptionRecord>;
  /** Sets the status of the given subscriptions (conditional on `onlyFrom` when given); returns the changed rows. */
  setStatus(subscriptionIds: string[], status: SubscriptionStatusCode, deliveries: (record: SubscriptionRecord) => Delivery[], onlyFrom?: SubscriptionStatusCode[]): Promise<SubscriptionRecord[]>;
  findSubscription(subscriptionId: string): Promise<SubscriptionRecord | null>;
  listSubscriptions(query: SubscriptionQuery): Promise<{ rows: SubscriptionRecord[]; count: number }>;
  /** Active subscriptions of a topic from one sender (the fan-out set). */
  activeSubscriptions(topicCode: string, senderCode: string): Promise<SubscriptionRecord[]>;
  /** The audit row and its deliveries in one transaction; 'duplicate' when (sender, correlation_id) exists. */
  recordNotification(notification: Omit<NotificationRecord, 'createdAt'>, deliveries: Delivery[]): Promise<'recorded' | 'duplicate'>;
  searchNotifications(search: NotificationSearch): Promise<NotificationRecord[]>;
  /** The delivery state of each recipient of one notification (its api_call rows). */
  deliveriesOf(senderCode: string, correlationId: string): Promise<NotificationDeliveryState[]>;
  /** true for the first caller only (any replica) for this certificate and expiry date. */
  claimExpiryNotice(participantCode: string, certificate: string, notAfter: Date, at: Date): Promise<boolean>;
  /** Undo a claim whose notification could not be written (so the next check tries again). */
  releaseExpiryNotice(participantCode: string, certificate: string, notAfter: Date): Promise<void>;
}

export const NOTIFICATION_REPOSITORY = Symbol.for('hcx.NotificationRepository');
