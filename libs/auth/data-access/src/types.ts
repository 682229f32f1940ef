import type { EventContract } from '@npi/kafka-contracts';

/** Ports of auth-service's storage, implemented by PrismaAuthRepository. */
export type ClientStatus = 'ACTIVE' | 'DISABLED';
export type UserStatus = 'ACTIVE' | 'DISABLED';
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';
/** `reusable`: a refresh token serves until it expires or is revoked; `rotating`: one use, then its successor. */
export type RefreshTokenPolicy = 'reusable' | 'rotating';

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
  refreshTokenPolicy: RefreshTokenPolicy;
  /** rotating only: seconds after a rotation in which a retry of the same token gets the same successor. */
  refreshGraceSeconds: number;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewClient = Omit<ClientRecord, 'revision' | 'createdAt' | 'updatedAt'>;
export type ClientChanges = Partial<Pick<ClientRecord, 'secretHash' | 'authMethod' | 'status' | 'memberCode' | 'allowedCidrs' | 'scopes' | 'grantTypes' | 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds' | 'refreshTokenPolicy' | 'refreshGraceSeconds'>>;

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
  /** Random per row; the successor of a rotating token is HMAC(rotationSalt, presented token). */
  rotationSalt: string | null;
  issuedAt: Date;
  expiresAt: Date;
  retiredAt: Date | null;
  revokedAt: Date | null;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, 'retiredAt' | 'revokedAt'>;

/** An issued access token (JWT), recorded so revocation can name it by `jti`. */
export interface AccessTokenRecord {
  jti: string;
  refreshTokenId: string;
  familyId: string;
  clientId: string;
  username: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type NewAccessToken = Omit<AccessTokenRecord, 'revokedAt'>;

/** What a refresh grant relies on at the instant it commits; checked inside the write itself. */
export interface RefreshGrantConditions {
  /** The refresh-token row presented (reusable) or being retired (rotating). */
  refreshTokenId: string;
  /** The client revision the caller authenticated against: any client change since refuses the write. */
  clientRevision: number;
  now: Date;
}

/** Revoked refresh-token rows and the access tokens revoked with them. */
export interface Revoked {
  refreshTokens: RefreshTokenRecord[];
  accessTokens: AccessTokenRecord[];
}

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

  /** Stores a new hash of the same secret (scheme upgrade) if the stored one is still `from`; no revision bump, no event. */
  replaceClientSecretHash(clientId: string, from: string, to: string): Promise<boolean>;

  findUser(clientRowId: string, username: string): Promise<UserRecord | undefined>;
  listUsers(clientRowId: string): Promise<UserRecord[]>;
  createUser(user: NewUser, events: PendingEvent[]): Promise<UserRecord>;
  updateUser(userId: string, changes: UserChanges, events: PendingEvent[]): Promise<UserRecord>;
  /** Atomically counts a failed password; answers the new count. */
  incrementFailedAttempts(userId: string): Promise<number>;

  /** Password grant: a new family's first refresh token and its access token. */
  insertRefreshToken(token: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<void>;
  findRefreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** The access token and whether the refresh token it came from is revoked. */
  findAccessToken(jti: string): Promise<(AccessTokenRecord & { refreshRevokedAt: Date | null }) | undefined>;
  /**
   * Records `access` as issued from a live refresh token, in one write, only if at `now` the token
   * is neither retired, revoked, expired nor in a revoked family, its user and client are active
   * and the client is still at `clientRevision`. false (nothing written) otherwise.
   */
  issueFromRefreshToken(conditions: RefreshGrantConditions, access: NewAccessToken, events: PendingEvent[]): Promise<boolean>;
  /**
   * Retires the presented token and stores its successor and the new access token in one write,
   * under the same conditions as issueFromRefreshToken (compare-and-set: two concurrent uses cannot
   * both rotate). false (nothing written) otherwise.
   */
  rotateRefreshToken(conditions: RefreshGrantConditions, next: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<boolean>;
  /** Revokes every not-yet-revoked row of the family and its access tokens; answers what it revoked now. */
  revokeFamily(familyId: string, at: Date, events: (revoked: Revoked) => PendingEvent[]): Promise<Revoked>;
  /** Revokes every live row of a user (disable, password reset) and their access tokens. */
  revokeUserTokens(clientId: string, username: string, at: Date, events: (revoked: Revoked) => PendingEvent[]): Promise<Revoked>;
  markAccessTokenRevoked(jti: string, at: Date, events: PendingEvent[]): Promise<boolean>;
  /** Events with no state change of their own (audit). */
  appendEvents(events: PendingEvent[]): Promise<void>;
}

export const AUTH_REPOSITORY = Symbol.for('npi.auth.AuthRepository');
