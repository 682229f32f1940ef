import type { EventContract } from '@npi/kafka-contracts';

/** Ports of auth-service's storage, implemented by PrismaAuthRepository. */
export type ClientStatus = 'ACTIVE' | 'DISABLED';
export type UserStatus = 'ACTIVE' | 'DISABLED';
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface ClientRecord {
  id: string;
  clientId: string;
  secretHash: string;
  authMethod: ClientAuthMethod;
  status: ClientStatus;
  memberCode: string | null;
  allowedCidrs: string[];
  scopes: string[];
  grantTypes: string[];
  accessTokenTtlSeconds: number | null;
  refreshTokenTtlSeconds: number | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewClient = Omit<ClientRecord, 'revision' | 'createdAt' | 'updatedAt'>;
export type ClientChanges = Partial<Pick<ClientRecord, 'secretHash' | 'authMethod' | 'status' | 'memberCode' | 'allowedCidrs' | 'scopes' | 'grantTypes' | 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds'>>;

export interface UserRecord {
  id: string;
  clientRowId: string;
  username: string;
  passwordHash: string;
  status: UserStatus;
  failedAttempts: number;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewUser = Pick<UserRecord, 'id' | 'clientRowId' | 'username' | 'passwordHash' | 'status'>;
export type UserChanges = Partial<Pick<UserRecord, 'passwordHash' | 'status' | 'failedAttempts' | 'lockedUntil'>>;

export interface RefreshTokenRecord {
  id: string;
  tokenHash: string;
  familyId: string;
  clientId: string;
  userId: string;
  username: string;
  scope: string;
  accessJti: string;
  accessExpiresAt: Date;
  accessRevokedAt: Date | null;
  issuedAt: Date;
  expiresAt: Date;
  retiredAt: Date | null;
  revokedAt: Date | null;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, 'accessRevokedAt' | 'retiredAt' | 'revokedAt'>;

/** An event to write to the outbox in the same transaction as the change that caused it. */
export interface PendingEvent {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  contract: EventContract<any>;
  data: unknown;
  key?: string;
  correlationId?: string;
}

export interface AuthRepository {
  findClient(clientId: string): Promise<ClientRecord | undefined>;
  listClients(): Promise<ClientRecord[]>;
  /** Creates the client; `events` sees the stored row. */
  createClient(client: NewClient, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord>;
  /** Applies changes and bumps `revision`; undefined when the client does not exist. */
  updateClient(clientId: string, changes: ClientChanges, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord | undefined>;

  findUser(clientRowId: string, username: string): Promise<UserRecord | undefined>;
  listUsers(clientRowId: string): Promise<UserRecord[]>;
  createUser(user: NewUser, events: PendingEvent[]): Promise<UserRecord>;
  updateUser(userId: string, changes: UserChanges, events: PendingEvent[]): Promise<UserRecord>;
  /** Atomically counts a failed password; answers the new count. */
  incrementFailedAttempts(userId: string): Promise<number>;

  insertRefreshToken(token: NewRefreshToken, events: PendingEvent[]): Promise<void>;
  findRefreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  findRefreshTokenByAccessJti(jti: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Retires `presentedId` and stores `next` in one transaction, only if `presentedId` was neither
   * retired nor revoked (compare-and-set: two concurrent uses cannot both rotate). false otherwise.
   */
  rotateRefreshToken(presentedId: string, retiredAt: Date, next: NewRefreshToken, events: PendingEvent[]): Promise<boolean>;
  /** Revokes every not-yet-revoked row of the family; answers the rows revoked now (for their jtis). */
  revokeFamily(familyId: string, at: Date, events: (revoked: RefreshTokenRecord[]) => PendingEvent[]): Promise<RefreshTokenRecord[]>;
  /** Revokes every live row of a user (disable, password reset); answers those rows. */
  revokeUserTokens(clientId: string, username: string, at: Date, events: (revoked: RefreshTokenRecord[]) => PendingEvent[]): Promise<RefreshTokenRecord[]>;
  markAccessTokenRevoked(jti: string, at: Date, events: PendingEvent[]): Promise<boolean>;
  /** Events with no state change of their own (audit). */
  appendEvents(events: PendingEvent[]): Promise<void>;
}

export const AUTH_REPOSITORY = Symbol.for('npi.auth.AuthRepository');
