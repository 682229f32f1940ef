/**
 * In-memory twin of auth-service's storage ports (clients, users, issued tokens, event outbox) for
 * unit tests: one object implements all four, with the same contract as the Prisma adapters
 * (compare-and-set rotation, the live-grant conditions checked inside the write), without a database. Each method runs without awaiting in between, so a call is atomic
 * the way one SQL statement is, while concurrent requests still interleave between calls.
 */
import type {
  AccessTokenRecord,
  AuthEventOutbox,
  ClientChanges,
  ClientRecord,
  IssuedTokenRepository,
  NewAccessToken,
  NewClient,
  NewRefreshToken,
  NewUser,
  OAuthClientRepository,
  PendingEvent,
  RefreshGrantConditions,
  RefreshTokenRecord,
  Revoked,
  UserChanges,
  UserRecord,
  UserRepository,
} from '@npi/auth/data-access';

export class InMemoryAuthRepository implements OAuthClientRepository, UserRepository, IssuedTokenRepository, AuthEventOutbox {
  readonly clients = new Map<string, ClientRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly events: PendingEvent[] = [];

  async findClient(clientId: string) {
    const client = this.clients.get(clientId);
    return client ? { ...client } : undefined;
  }
  async listClients() {
    return [...this.clients.values()];
  }
  async createClient(client: NewClient, events: (stored: ClientRecord) => PendingEvent[]) {
    const stored: ClientRecord = { ...client, revision: 1, createdAt: new Date(), updatedAt: new Date() };
    this.clients.set(client.clientId, stored);
    this.events.push(...events(stored));
    return { ...stored };
  }
  async updateClient(clientId: string, changes: ClientChanges, events: (stored: ClientRecord) => PendingEvent[]) {
    const existing = this.clients.get(clientId);
    if (!existing) return undefined;
    const stored = { ...existing, ...changes, revision: existing.revision + 1, updatedAt: new Date() };
    this.clients.set(clientId, stored);
    this.events.push(...events(stored));
    return { ...stored };
  }
  async replaceClientSecretHash(clientId: string, from: string, to: string) {
    const existing = this.clients.get(clientId);
    if (!existing || existing.secretHash !== from) return false;
    this.clients.set(clientId, { ...existing, secretHash: to });
    return true;
  }
  async findUser(clientRowId: string, username: string) {
    const user = [...this.users.values()].find((candidate) => candidate.clientRowId === clientRowId && candidate.username === username);
    return user ? { ...user } : undefined;
  }
  async listUsers(clientRowId: string) {
    return [...this.users.values()].filter((user) => user.clientRowId === clientRowId);
  }
  async createUser(user: NewUser, events: PendingEvent[]) {
    const stored: UserRecord = { ...user, failedAttempts: 0, lockedUntil: null, createdAt: new Date(), updatedAt: new Date() };
    this.users.set(user.id, stored);
    this.events.push(...events);
    return { ...stored };
  }
  async updateUser(userId: string, changes: UserChanges, events: PendingEvent[]) {
    const stored = { ...(this.users.get(userId) as UserRecord), ...changes, updatedAt: new Date() };
    this.users.set(userId, stored);
    this.events.push(...events);
    return { ...stored };
  }
  async incrementFailedAttempts(userId: string) {
    const user = this.users.get(userId) as UserRecord;
    user.failedAttempts += 1;
    return user.failedAttempts;
  }
  async insertRefreshToken(token: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]) {
    this.refreshTokens.set(token.id, { ...token, retiredAt: null, revokedAt: null });
    this.accessTokens.set(access.jti, { ...access, revokedAt: null });
    this.events.push(...events);
  }
  async findRefreshTokenByHash(tokenHash: string) {
    const row = [...this.refreshTokens.values()].find((candidate) => candidate.tokenHash === tokenHash);
    return row ? { ...row } : undefined;
  }
  async findAccessToken(jti: string) {
    const access = this.accessTokens.get(jti);
    if (!access) return undefined;
    return { ...access, refreshRevokedAt: this.refreshTokens.get(access.refreshTokenId)?.revokedAt ?? null };
  }
  async findAccessTokenForIntrospection(jti: string, introspectorClientId: string) {
    const client = this.clients.get(introspectorClientId);
    if (!client) return { token: undefined, introspector: undefined };
    const access = this.accessTokens.get(jti);
    const token = access ? { ...access, refreshRevokedAt: this.refreshTokens.get(access.refreshTokenId)?.revokedAt ?? null } : undefined;
    return { token, introspector: { revision: client.revision, status: client.status } };
  }
  async issueFromRefreshToken(conditions: RefreshGrantConditions, access: NewAccessToken, events: PendingEvent[]) {
    if (!this.liveGrant(conditions)) return false;
    this.accessTokens.set(access.jti, { ...access, revokedAt: null });
    this.events.push(...events);
    return true;
  }
  async rotateRefreshToken(conditions: RefreshGrantConditions, next: NewRefreshToken, access: NewAccessToken, events: PendingEvent[]) {
    const presented = this.liveGrant(conditions);
    if (!presented) return false;
    presented.retiredAt = conditions.now;
    this.refreshTokens.set(next.id, { ...next, retiredAt: null, revokedAt: null });
    this.accessTokens.set(access.jti, { ...access, revokedAt: null });
    this.events.push(...events);
    return true;
  }
  async revokeFamily(familyId: string, at: Date, events: (revoked: Revoked) => PendingEvent[]) {
    return this.revokeWhere((row) => row.familyId === familyId, at, events);
  }
  async revokeUserTokens(clientId: string, username: string, at: Date, events: (revoked: Revoked) => PendingEvent[]) {
    return this.revokeWhere((row) => row.clientId === clientId && row.username === username, at, events);
  }
  async markAccessTokenRevoked(jti: string, at: Date, events: PendingEvent[]) {
    const access = this.accessTokens.get(jti);
    if (!access || access.revokedAt) return false;
    access.revokedAt = at;
    this.events.push(...events);
    return true;
  }
  async appendEvents(events: PendingEvent[]) {
    this.events.push(...events);
  }

  /** The conditions PrismaIssuedTokenRepository's LIVE_GRANT checks in SQL. */
  private liveGrant(conditions: RefreshGrantConditions): RefreshTokenRecord | undefined {
    const row = this.refreshTokens.get(conditions.refreshTokenId);
    if (!row || row.retiredAt || row.revokedAt || row.expiresAt <= conditions.now) return undefined;
    if ([...this.refreshTokens.values()].some((member) => member.familyId === row.familyId && member.revokedAt)) return undefined;
    const client = this.clients.get(row.clientId);
    const user = this.users.get(row.userId);
    if (!client || client.status !== 'ACTIVE' || client.revision !== conditions.clientRevision || !user || user.status !== 'ACTIVE') return undefined;
    return row;
  }

  private revokeWhere(match: (row: RefreshTokenRecord) => boolean, at: Date, events: (revoked: Revoked) => PendingEvent[]): Revoked {
    const refreshTokens = [...this.refreshTokens.values()].filter((row) => match(row) && !row.revokedAt);
    if (refreshTokens.length === 0) return { refreshTokens: [], accessTokens: [] };
    for (const row of refreshTokens) row.revokedAt = at;
    const families = new Set(refreshTokens.map((row) => row.familyId));
    const accessTokens = [...this.accessTokens.values()].filter((access) => families.has(access.familyId) && !access.revokedAt);
    for (const access of accessTokens) access.revokedAt = at;
    const revoked = { refreshTokens: refreshTokens.map((row) => ({ ...row })), accessTokens: accessTokens.map((access) => ({ ...access })) };
    this.events.push(...events(revoked));
    return revoked;
  }
}
