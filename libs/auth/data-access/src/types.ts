import type { EventContract } from '@npi/kafka-contracts';

/** Records of auth-service's storage; the ports that read and write them are in `ports.ts`. */
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
