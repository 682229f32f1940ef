import type {
  AccessTokenRecord,
  ClientChanges,
  ClientRecord,
  NewAccessToken,
  NewClient,
  NewRefreshToken,
  NewUser,
  PendingEvent,
  RefreshGrantConditions,
  RefreshTokenRecord,
  Revoked,
  UserChanges,
  UserRecord,
} from './types';

/**
 * The storage ports of auth-service, one per concern, with their injection tokens. Every state
 * change takes the outbox events it causes and writes them in the same transaction or statement.
 */

/** OAuth clients (members' systems and the admin client). */
export interface OAuthClientRepository {
  findClient(clientId: string): Promise<ClientRecord | undefined>;
  listClients(): Promise<ClientRecord[]>;
  /** Creates the client; `events` sees the stored row. */
  createClient(client: NewClient, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord>;
  /** Applies changes and bumps `revision`; undefined when the client does not exist. */
  updateClient(clientId: string, changes: ClientChanges, events: (stored: ClientRecord) => PendingEvent[]): Promise<ClientRecord | undefined>;
  /** Stores a new hash of the same secret (scheme upgrade) if the stored one is still `from`; no revision bump, no event. */
  replaceClientSecretHash(clientId: string, from: string, to: string): Promise<boolean>;
}

/** Users of a client (resource owners of the password grant). */
export interface UserRepository {
  findUser(clientRowId: string, username: string): Promise<UserRecord | undefined>;
  listUsers(clientRowId: string): Promise<UserRecord[]>;
  createUser(user: NewUser, events: PendingEvent[]): Promise<UserRecord>;
  updateUser(userId: string, changes: UserChanges, events: PendingEvent[]): Promise<UserRecord>;
  /** Atomically counts a failed password; answers the new count. */
  incrementFailedAttempts(userId: string): Promise<number>;
}

/** Issued refresh and access tokens: grants, rotation and revocation. */
export interface IssuedTokenRepository {
  /** Password grant: a new family's first refresh token and its access token. */
  insertRefreshToken(token: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]): Promise<void>;
  findRefreshTokenByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** The access token and whether the refresh token it came from is revoked. */
  findAccessToken(jti: string): Promise<(AccessTokenRecord & { refreshRevokedAt: Date | null }) | undefined>;
  /**
   * Introspection in one read: the access token as `findAccessToken` answers it, and the stored
   * revision and status of the client asking (`introspector` undefined: no such client), so a
   * caller authenticated from a cached client record learns in the same round trip whether that
   * record is still current.
   */
  findAccessTokenForIntrospection(jti: string, introspectorClientId: string): Promise<{ token: (AccessTokenRecord & { refreshRevokedAt: Date | null }) | undefined; introspector: Pick<ClientRecord, 'revision' | 'status'> | undefined }>;
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
}

/** Events with no state change of their own (audit records, a revocation cut-off). */
export interface AuthEventOutbox {
  appendEvents(events: PendingEvent[]): Promise<void>;
}

export const OAUTH_CLIENT_REPOSITORY = Symbol.for('npi.auth.OAuthClientRepository');
export const USER_REPOSITORY = Symbol.for('npi.auth.UserRepository');
export const ISSUED_TOKEN_REPOSITORY = Symbol.for('npi.auth.IssuedTokenRepository');
export const AUTH_EVENT_OUTBOX = Symbol.for('npi.auth.AuthEventOutbox');
