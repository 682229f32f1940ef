import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { errors as joseErrors, createLocalJWKSet, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { AUTH_EVENT_OUTBOX, ISSUED_TOKEN_REPOSITORY, OAUTH_CLIENT_REPOSITORY, USER_REPOSITORY } from '@npi/auth/data-access';
import type {
  AccessTokenRecord,
  AuthEventOutbox,
  ClientRecord,
  IssuedTokenRepository,
  NewAccessToken,
  NewRefreshToken,
  OAuthClientRepository,
  PendingEvent,
  RefreshTokenRecord,
  UserRepository,
} from '@npi/auth/data-access';
import { ipInCidrs, parseScope } from '@npi/auth-guards';
import { AuthTokenRevokedV1 } from '@npi/kafka-contracts';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import type { PasswordHasher } from '../crypto/password-hasher';
import type { KeyRing } from '../crypto/signing-keys';
import { OAuthError, invalidClient, invalidGrant, invalidRequest, invalidScope, sourceIpNotAllowed, unauthorizedClient, unsupportedGrantType } from '../errors';
import { KEY_RING, PASSWORD_HASHER } from '../tokens';
import { AccessTokenIssuer } from './access-token-issuer';
import type { IssuedAccessToken } from './access-token-issuer';
import { auditEvent } from './audit';
import type { RequestFacts } from './audit';
import { lockoutUntil } from './brute-force';
import { ClientAuthenticator } from './client-authenticator';
import { presentedClientCredentials, rejectMalformedParameters } from './client-credentials';

/** RFC 6749 section 5.1 response, plus NCHL's `customerdetails` and our `refresh_expires_in`. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  scope: string;
  customerdetails: null;
}

export interface TokenRequest extends RequestFacts {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface IntrospectionResponse {
  active: boolean;
  [claim: string]: unknown;
}

export const SUPPORTED_GRANT_TYPES = ['password', 'refresh_token'] as const;

/** The `kind` label of the token metrics for a token request body: `oauth.<grant>` or `oauth.other`. */
export function tokenMetricKind(body: Record<string, unknown>): string {
  const grant = body['grant_type'];
  return `oauth.${typeof grant === 'string' && (SUPPORTED_GRANT_TYPES as readonly string[]).includes(grant) ? grant : 'other'}`;
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The token endpoint's rules (seed 001 section 7.2; RFC 6749 sections 4.3, 5, 6 and 10.4; RFC 7009;
 * RFC 7662). Every success and failure leaves an `auth.audit.recorded.v1` event.
 */
@Injectable()
export class OAuthTokenService {
  private readonly ownKeys: JWTVerifyGetKey;
  private readonly knownRows = new RefreshRowCache();
  private readonly verifiedAccessTokens = new VerifiedAccessTokenCache();

  constructor(
    @Inject(OAUTH_CLIENT_REPOSITORY) private readonly clientRecords: OAuthClientRepository,
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(ISSUED_TOKEN_REPOSITORY) private readonly issued: IssuedTokenRepository,
    @Inject(AUTH_EVENT_OUTBOX) private readonly outbox: AuthEventOutbox,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(SERVICE_CONFIG) private readonly config: AuthServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KEY_RING) keys: KeyRing,
    private readonly clients: ClientAuthenticator,
    private readonly issuer: AccessTokenIssuer,
  ) {
    this.ownKeys = createLocalJWKSet(keys.jwks);
  }

  async token(request: TokenRequest): Promise<TokenResponse> {
    let clientId: string | undefined;
    let username: string | undefined;
    const grantType = request.body['grant_type'];
    try {
      // Refresh grants may use a cached client record: the issuing write re-checks its revision.
      const client = await this.authenticateClient(request, { cached: grantType === 'refresh_token' });
      clientId = client.clientId;
      rejectRepeatedParameters(request.body);
      if (grantType === undefined || grantType === '') throw invalidRequest('grant_type is required');
      if (typeof grantType !== 'string' || !(SUPPORTED_GRANT_TYPES as readonly string[]).includes(grantType)) {
        throw unsupportedGrantType('supported grant types: password, refresh_token');
      }
      if (!client.grantTypes.includes(grantType)) throw unauthorizedClient(`this client may not use the ${grantType} grant`);
      if (grantType === 'password') {
        username = typeof request.body['username'] === 'string' ? request.body['username'] : undefined;
        return await this.passwordGrant(client, request);
      }
      return await this.refreshGrant(client, request);
    } catch (error) {
      if (error instanceof OAuthError) {
        await this.outbox.appendEvents([
          auditEvent(request, { action: `token.${typeof grantType === 'string' ? grantType.slice(0, 32) : 'unknown'}`, outcome: 'failure', clientId, username, error: error.code, detail: error.description }),
        ]);
      }
      throw error;
    }
  }

  /**
   * Client authentication, then the source IP allowlist (seed 001 section 7.1). The request rate
   * limits ran before (RateLimitGuard on the routes, `rate-limits.ts`).
   */
  private async authenticateClient(request: TokenRequest, options: { cached?: boolean } = {}): Promise<ClientRecord> {
    const now = this.clock.now().getTime();
    rejectMalformedParameters(request.body);
    const presented = presentedClientCredentials(request.authorization, request.body);
    const client = await this.clients.authenticate(presented, now, { cached: options.cached ?? false });
    if (request.sourceIp === undefined || !ipInCidrs(request.sourceIp, client.allowedCidrs)) throw sourceIpNotAllowed();
    return client;
  }

  private grantedScope(client: ClientRecord, requested: unknown, ceiling: readonly string[]): string {
    if (requested === undefined || requested === '') return ceiling.join(' ');
    if (typeof requested !== 'string') throw invalidRequest('scope must be a string');
    const scopes = parseScope(requested);
    const unknown = scopes.filter((scope) => !ceiling.includes(scope) || !client.scopes.includes(scope));
    if (scopes.length === 0 || unknown.length > 0) throw invalidScope(`scope not allowed: ${unknown.join(' ') || requested}`);
    return scopes.join(' ');
  }

  private async passwordGrant(client: ClientRecord, request: TokenRequest): Promise<TokenResponse> {
    const { username, password } = request.body;
    if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
      throw invalidRequest('username and password are required');
    }
    const scope = this.grantedScope(client, request.body['scope'], client.scopes);
    const now = this.clock.now();
    const user = await this.users.findUser(client.id, username);
    if (!user) {
      await this.hasher.verifyAgainstDummy(password);
      throw invalidGrant('invalid username or password');
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      // Still spend the hash so a locked account answers no faster than any other.
      await this.hasher.verifyAgainstDummy(password);
      throw invalidGrant('user temporarily locked after repeated failed logins; try again later', 'ERR_USER_LOCKED');
    }
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      const failures = await this.users.incrementFailedAttempts(user.id);
      const until = lockoutUntil(failures, { threshold: this.config.AUTH_LOCKOUT_THRESHOLD, baseSeconds: this.config.AUTH_LOCKOUT_BASE_SECONDS, maxSeconds: this.config.AUTH_LOCKOUT_MAX_SECONDS }, now);
      if (until) await this.users.updateUser(user.id, { lockedUntil: until }, []);
      throw invalidGrant('invalid username or password');
    }
    if (user.status !== 'ACTIVE') throw invalidGrant('user is disabled');
    // A hash of the former scheme (scrypt) or weaker parameters is replaced now that the password is known.
    const passwordHash = this.hasher.needsRehash(user.passwordHash) ? await this.hasher.hash(password) : undefined;
    if (user.failedAttempts > 0 || user.lockedUntil || passwordHash) {
      await this.users.updateUser(user.id, { failedAttempts: 0, lockedUntil: null, ...(passwordHash ? { passwordHash } : {}) }, []);
    }
    return this.issuePair(client, { userId: user.id, username: user.username, scope, now }, request);
  }

  /**
   * The refresh grant under the client's policy. Every check that can change while the request runs
   * (revocation, expiry, a disabled user or client, any client change since authentication, a
   * concurrent rotation) is repeated inside the single write that issues the tokens; when that
   * write refuses, `refusalOf` tells why from fresh reads.
   */
  private async refreshGrant(client: ClientRecord, request: TokenRequest, retried = false): Promise<TokenResponse> {
    const presented = request.body['refresh_token'];
    if (typeof presented !== 'string' || presented === '') throw invalidRequest('refresh_token is required');
    const now = this.clock.now();
    const tokenHash = hashRefreshToken(presented);
    const row = this.knownRows.get(tokenHash, now.getTime()) ?? (await this.issued.findRefreshTokenByHash(tokenHash));
    // RFC 6749 section 10.4 / RFC 9700 section 4.14.2: a refresh token is bound to the client it was issued to.
    if (!row || row.clientId !== client.clientId) throw invalidGrant('refresh token is invalid');
    if (row.revokedAt) throw invalidGrant('refresh token has been revoked');
    if (row.expiresAt <= now) throw invalidGrant('refresh token has expired', 'ERR_REFRESH_TOKEN_EXPIRED');
    const scope = this.grantedScope(client, request.body['scope'], parseScope(row.scope));
    const grant = { client, row, presented, scope, request, now };
    const outcome = row.retiredAt ? await this.retiredTokenPresented(grant) : client.refreshTokenPolicy === 'rotating' ? await this.rotate(grant) : await this.reuse(grant);
    if (outcome !== 'client_changed') return outcome;
    // The client changed since it was authenticated (cached record): authenticate again, once.
    if (retried) throw invalidGrant('refresh token is invalid');
    this.clients.forget(client.clientId);
    const fresh = await this.authenticateClient(request);
    if (!fresh.grantTypes.includes('refresh_token')) throw unauthorizedClient('this client may not use the refresh_token grant');
    return this.refreshGrant(fresh, request, true);
  }

  /** `reusable`: a new access token from the stored refresh token, which stays as it is. */
  private async reuse(grant: RefreshGrant): Promise<TokenResponse | 'client_changed'> {
    const { client, row, presented, now } = grant;
    const access = await this.issueAccessToken(client, row.username, grant.scope, now);
    const issued = await this.issued.issueFromRefreshToken(
      { refreshTokenId: row.id, clientRevision: client.revision, now },
      accessRecord(access, row),
      [auditEvent(grant.request, { action: 'token.refresh_token', outcome: 'success', clientId: client.clientId, username: row.username })],
    );
    if (!issued) {
      this.knownRows.delete(row.tokenHash);
      return this.refusalOf(grant);
    }
    this.knownRows.set(row, now.getTime());
    return tokenResponse(access, grant.scope, presented, Math.max(0, Math.floor((row.expiresAt.getTime() - now.getTime()) / 1000)));
  }

  /** `rotating`: retire the presented token and issue its successor (a function of it, for the grace window). */
  private async rotate(grant: RefreshGrant): Promise<TokenResponse | 'client_changed'> {
    const { client, row, presented, now } = grant;
    const refreshTtl = client.refreshTokenTtlSeconds ?? this.config.AUTH_REFRESH_TOKEN_TTL_SECONDS;
    const successor = row.rotationSalt ? successorOf(row.rotationSalt, presented) : randomBytes(32).toString('base64url');
    const access = await this.issueAccessToken(client, row.username, grant.scope, now);
    const next = newRefreshRow(successor, { familyId: row.familyId, clientId: client.clientId, userId: row.userId, username: row.username, scope: row.scope, now, ttlSeconds: refreshTtl });
    const rotated = await this.issued.rotateRefreshToken(
      { refreshTokenId: row.id, clientRevision: client.revision, now },
      next,
      accessRecord(access, next),
      [auditEvent(grant.request, { action: 'token.refresh_token', outcome: 'success', clientId: client.clientId, username: row.username })],
    );
    // The presented token is retired either way: its row is no longer worth remembering.
    this.knownRows.delete(row.tokenHash);
    if (!rotated) return this.refusalOf(grant);
    // The successor's row as written, so its own use (usually here, the client's next refresh) needs no read.
    this.knownRows.set({ ...next, retiredAt: null, revokedAt: null }, now.getTime());
    return tokenResponse(access, grant.scope, successor, refreshTtl);
  }

  /**
   * A retired (already rotated) refresh token: within the client's grace window a retry gets the
   * same successor (and a new access token); otherwise it is reuse and the whole family dies.
   */
  private async retiredTokenPresented(grant: RefreshGrant): Promise<TokenResponse | 'client_changed'> {
    const { client, row, presented, now } = grant;
    const retiredAt = row.retiredAt?.getTime() ?? 0;
    if (client.refreshGraceSeconds > 0 && row.rotationSalt && now.getTime() - retiredAt <= client.refreshGraceSeconds * 1000) {
      const successor = successorOf(row.rotationSalt, presented);
      const next = await this.issued.findRefreshTokenByHash(hashRefreshToken(successor));
      // Only while the successor itself is unused: a retry after the winner moved on is reuse.
      if (next && !next.retiredAt && !next.revokedAt && next.expiresAt > now) {
        const access = await this.issueAccessToken(client, next.username, grant.scope, now);
        const issued = await this.issued.issueFromRefreshToken(
          { refreshTokenId: next.id, clientRevision: client.revision, now },
          accessRecord(access, next),
          [auditEvent(grant.request, { action: 'token.refresh_token', outcome: 'success', clientId: client.clientId, username: next.username, detail: 'retry within the grace window' })],
        );
        if (issued) return tokenResponse(access, grant.scope, successor, Math.max(0, Math.floor((next.expiresAt.getTime() - now.getTime()) / 1000)));
      }
    }
    await this.revokeFamily(row, 'refresh_reuse', grant.request);
    throw invalidGrant('refresh token was already used; its token family has been revoked', 'ERR_REFRESH_TOKEN_REUSED');
  }

  /** Why the issuing write refused, from fresh reads (the rare path). */
  private async refusalOf(grant: RefreshGrant): Promise<TokenResponse | 'client_changed'> {
    const { client, row, now } = grant;
    const current = await this.issued.findRefreshTokenByHash(row.tokenHash);
    if (!current || current.revokedAt) throw invalidGrant('refresh token has been revoked');
    // Lost a race with a concurrent use of the same rotating token: a retry within the grace window, or reuse.
    if (current.retiredAt) return this.retiredTokenPresented({ ...grant, row: current });
    if (current.expiresAt <= now) throw invalidGrant('refresh token has expired', 'ERR_REFRESH_TOKEN_EXPIRED');
    const fresh = await this.clientRecords.findClient(client.clientId);
    if (!fresh || fresh.revision !== client.revision) return 'client_changed';
    if (fresh.status !== 'ACTIVE') throw invalidClient('client is disabled');
    const user = await this.users.findUser(fresh.id, row.username);
    if (!user || user.status !== 'ACTIVE') throw invalidGrant('user is disabled');
    throw invalidGrant('refresh token has been revoked');
  }

  private issueAccessToken(client: ClientRecord, subject: string, scope: string, now: Date): Promise<IssuedAccessToken> {
    const ttlSeconds = client.accessTokenTtlSeconds ?? this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
    return this.issuer.issue({ clientId: client.clientId, subject, scope, now, ttlSeconds });
  }

  /** Password grant: a new family with its first refresh token. */
  private async issuePair(client: ClientRecord, grant: { userId: string; username: string; scope: string; now: Date }, request: TokenRequest): Promise<TokenResponse> {
    const refreshTtl = client.refreshTokenTtlSeconds ?? this.config.AUTH_REFRESH_TOKEN_TTL_SECONDS;
    const access = await this.issueAccessToken(client, grant.username, grant.scope, grant.now);
    // 256 random bits, opaque; only its SHA-256 is stored (a database leak yields no usable token).
    const refreshToken = randomBytes(32).toString('base64url');
    const row = newRefreshRow(refreshToken, { familyId: randomUUID(), clientId: client.clientId, userId: grant.userId, username: grant.username, scope: grant.scope, now: grant.now, ttlSeconds: refreshTtl });
    await this.issued.insertRefreshToken(row, accessRecord(access, row), [auditEvent(request, { action: 'token.password', outcome: 'success', clientId: client.clientId, username: grant.username })]);
    return tokenResponse(access, grant.scope, refreshToken, refreshTtl);
  }

  private async revokeFamily(row: RefreshTokenRecord, reason: 'refresh_reuse' | 'revoked', facts: RequestFacts): Promise<void> {
    const now = this.clock.now();
    await this.issued.revokeFamily(row.familyId, now, (revoked) => [
      ...revocationEvents(revoked.accessTokens, now, reason, { clientId: row.clientId, subject: row.username, familyId: row.familyId }, facts),
      auditEvent(facts, { action: reason === 'refresh_reuse' ? 'token.family_revoked' : 'token.revoke', outcome: 'success', clientId: row.clientId, username: row.username, detail: `family ${row.familyId}` }),
    ]);
  }

  /** RFC 7009: always 200 for an authenticated client, whether or not the token was known. */
  async revoke(request: TokenRequest): Promise<void> {
    const client = await this.authenticateClient(request);
    const token = request.body['token'];
    if (typeof token !== 'string' || token === '') throw invalidRequest('token is required');
    const hint = request.body['token_type_hint'];
    const asRefresh = async () => {
      // Refresh tokens are base64url (no '.'), access tokens compact JWS: a JWS is not looked up as a refresh token.
    const row = token.includes('.') ? undefined : await this.issued.findRefreshTokenByHash(hashRefreshToken(token));
      if (!row || row.clientId !== client.clientId) return false;
      // RFC 7009 section 2.1: revoking a refresh token also invalidates access tokens of the same grant.
      await this.revokeFamily(row, 'revoked', request);
      return true;
    };
    const asAccess = async () => {
      const claims = await this.verifyOwnAccessToken(token, true);
      if (!claims || claims.client_id !== client.clientId) return false;
      const now = this.clock.now();
      const expiresAt = new Date(claims.exp * 1000);
      await this.issued.markAccessTokenRevoked(claims.jti, now, [
        { contract: AuthTokenRevokedV1, data: { reason: 'revoked', jtis: [claims.jti], clientId: client.clientId, subject: claims.sub, expiresAt: expiresAt.toISOString() }, key: client.clientId, correlationId: request.correlationId },
        auditEvent(request, { action: 'token.revoke', outcome: 'success', clientId: client.clientId, username: claims.sub, detail: 'access token' }),
      ]);
      return true;
    };
    if (hint === 'access_token') {
      if (!(await asAccess())) await asRefresh();
    } else if (!(await asRefresh())) {
      await asAccess();
    }
  }

  /**
   * RFC 7662, for resource servers whose client holds the `introspect` scope.
   *
   * The common case (an access token of ours, signature already verified once) costs one read: the
   * caller's client record may come from ClientAuthenticator's memory, and the read that fetches the
   * token's revocation state also fetches that client's stored revision and status. Unless they
   * still match the remembered record (same revision, ACTIVE), nothing is answered from it: the
   * record is forgotten and the call starts over on a fresh read, as every other case (refresh
   * tokens, malformed or foreign tokens, a client without the scope) does from the start. A
   * disabled or changed client is therefore refused on its very next call, as before.
   */
  async introspect(request: TokenRequest): Promise<IntrospectionResponse> {
    const remembered = await this.authenticateClient(request, { cached: true });
    const token = request.body['token'];
    if (remembered.scopes.includes('introspect') && typeof token === 'string' && token.includes('.')) {
      const claims = await this.verifyOwnAccessToken(token, false);
      if (claims) {
        const { token: issued, introspector } = await this.issued.findAccessTokenForIntrospection(claims.jti, remembered.clientId);
        if (introspector?.status === 'ACTIVE' && introspector.revision === remembered.revision) return accessTokenIntrospection(claims, issued);
        this.clients.forget(remembered.clientId);
      }
    }
    return this.introspectWithStoredClient(request);
  }

  private async introspectWithStoredClient(request: TokenRequest): Promise<IntrospectionResponse> {
    const client = await this.authenticateClient(request);
    if (!client.scopes.includes('introspect')) throw unauthorizedClient('this client may not introspect tokens');
    const token = request.body['token'];
    if (typeof token !== 'string' || token === '') throw invalidRequest('token is required');
    const now = this.clock.now();
    // Refresh tokens are base64url (no '.'), access tokens compact JWS: a JWS is not looked up as a refresh token.
    const row = token.includes('.') ? undefined : await this.issued.findRefreshTokenByHash(hashRefreshToken(token));
    if (row) {
      if (row.revokedAt || row.retiredAt || row.expiresAt <= now) return { active: false };
      return {
        active: true,
        token_type: 'refresh_token',
        client_id: row.clientId,
        username: row.username,
        sub: row.username,
        scope: row.scope,
        iat: Math.floor(row.issuedAt.getTime() / 1000),
        exp: Math.floor(row.expiresAt.getTime() / 1000),
        iss: this.config.AUTH_ISSUER,
      };
    }
    const claims = await this.verifyOwnAccessToken(token, false);
    if (!claims) return { active: false };
    return accessTokenIntrospection(claims, await this.issued.findAccessToken(claims.jti));
  }

  /** Our own access token's claims, or undefined (expired ones too unless `allowExpired`). */
  private async verifyOwnAccessToken(token: string, allowExpired: boolean): Promise<OwnAccessTokenClaims | undefined> {
    const now = this.clock.now();
    if (!allowExpired) {
      const remembered = this.verifiedAccessTokens.get(token, now);
      if (remembered) return remembered;
    }
    const claims = await this.verifyOwnAccessTokenSignature(token, allowExpired, now);
    if (claims && !allowExpired) this.verifiedAccessTokens.set(token, claims);
    return claims;
  }

  private async verifyOwnAccessTokenSignature(token: string, allowExpired: boolean, now: Date): Promise<OwnAccessTokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.ownKeys, {
        issuer: this.config.AUTH_ISSUER,
        typ: 'at+jwt',
        algorithms: ['ES256', 'PS256'],
        currentDate: now,
        ...(allowExpired ? { clockTolerance: Number.MAX_SAFE_INTEGER / 1000 } : {}),
      });
      if (typeof payload.jti !== 'string' || typeof payload.sub !== 'string' || typeof payload['client_id'] !== 'string') return undefined;
      return payload as never;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return undefined;
      throw error;
    }
  }
}

function accessTokenIntrospection(claims: OwnAccessTokenClaims, issued: { revokedAt: Date | null; refreshRevokedAt: Date | null } | undefined): IntrospectionResponse {
  if (!issued || issued.revokedAt || issued.refreshRevokedAt) return { active: false };
  return { active: true, token_type: 'Bearer', ...claims, username: claims.sub };
}

/** auth.token.revoked.v1 events for revoked access tokens: the jtis of those still alive. */
export function revocationEvents(
  accessTokens: readonly AccessTokenRecord[],
  now: Date,
  reason: 'refresh_reuse' | 'revoked' | 'user_disabled' | 'password_reset' | 'client_disabled',
  scope: { clientId: string; subject?: string; familyId?: string; revokedBefore?: Date },
  facts: { correlationId?: string },
): PendingEvent[] {
  const live = accessTokens.filter((token) => token.expiresAt > now);
  const expiresAt = new Date(Math.max(now.getTime(), ...live.map((token) => token.expiresAt.getTime())));
  const jtis = live.map((token) => token.jti);
  const events: PendingEvent[] = [];
  for (let index = 0; index === 0 || index < jtis.length; index += 1000) {
    events.push({
      contract: AuthTokenRevokedV1,
      data: {
        reason,
        jtis: jtis.slice(index, index + 1000),
        clientId: scope.clientId,
        ...(scope.subject ? { subject: scope.subject } : {}),
        ...(scope.familyId ? { familyId: scope.familyId } : {}),
        ...(scope.revokedBefore ? { revokedBefore: scope.revokedBefore.toISOString() } : {}),
        expiresAt: expiresAt.toISOString(),
      },
      key: scope.clientId,
      correlationId: facts.correlationId,
    });
  }
  return events;
}

/**
 * Refresh-token rows this replica just read or wrote, by token hash, so the next use needs no read:
 * a reusable token that served a grant, a rotating token's successor as its rotation wrote it. Only
 * what never changes on a row is relied on from here (owner, user, scope, family, expiry, rotation
 * salt); whether it is still live (not retired, revoked, in a dead family; client and user active)
 * is checked by the issuing write itself, and an entry is dropped as soon as that write refuses, so
 * reuse detection and revocation made on any replica behave as with a fresh read: the refused write
 * sends the grant to `refusalOf`, which reads the stored row.
 */
class RefreshRowCache {
  private static readonly TTL_MS = 60_000;
  private static readonly MAX = 20_000;
  private readonly rows = new Map<string, { row: RefreshTokenRecord; until: number }>();

  get(tokenHash: string, nowMs: number): RefreshTokenRecord | undefined {
    const hit = this.rows.get(tokenHash);
    if (!hit) return undefined;
    if (hit.until <= nowMs || hit.row.expiresAt.getTime() <= nowMs) {
      this.rows.delete(tokenHash);
      return undefined;
    }
    return hit.row;
  }

  set(row: RefreshTokenRecord, nowMs: number): void {
    if (this.rows.size >= RefreshRowCache.MAX && !this.rows.has(row.tokenHash)) this.rows.delete(this.rows.keys().next().value as string);
    this.rows.set(row.tokenHash, { row, until: nowMs + RefreshRowCache.TTL_MS });
  }

  delete(tokenHash: string): void {
    this.rows.delete(tokenHash);
  }
}

type OwnAccessTokenClaims = { jti: string; sub: string; client_id: string; exp: number; iat: number; scope: string; aud: unknown; iss: string; nbf?: number };

/**
 * Our own access tokens whose signature and claims were verified, by the exact token string, until
 * they expire: a resource server introspects the same token again and again, and the key ring is
 * fixed for the life of the process, so a signature once verified stays verified. Only the
 * signature is remembered; revocation is read on every call.
 */
class VerifiedAccessTokenCache {
  private static readonly MAX = 10_000;
  private readonly claims = new Map<string, OwnAccessTokenClaims>();

  get(token: string, now: Date): OwnAccessTokenClaims | undefined {
    const hit = this.claims.get(token);
    if (!hit) return undefined;
    // jose's rule, to the second: expired once exp <= now; not yet valid while nbf > now.
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (hit.exp <= nowSeconds || (hit.nbf !== undefined && hit.nbf > nowSeconds)) {
      this.claims.delete(token);
      return undefined;
    }
    return hit;
  }

  set(token: string, claims: OwnAccessTokenClaims): void {
    if (this.claims.size >= VerifiedAccessTokenCache.MAX && !this.claims.has(token)) this.claims.delete(this.claims.keys().next().value as string);
    this.claims.set(token, claims);
  }
}

interface RefreshGrant {
  client: ClientRecord;
  row: RefreshTokenRecord;
  presented: string;
  scope: string;
  request: TokenRequest;
  now: Date;
}

/** The successor of a rotating refresh token: unpredictable without both the token and its row's salt. */
export function successorOf(rotationSalt: string, presented: string): string {
  return createHmac('sha256', Buffer.from(rotationSalt, 'base64url')).update(presented, 'utf8').digest('base64url');
}

function newRefreshRow(token: string, fields: { familyId: string; clientId: string; userId: string; username: string; scope: string; now: Date; ttlSeconds: number }): NewRefreshToken {
  return {
    id: randomUUID(),
    tokenHash: hashRefreshToken(token),
    familyId: fields.familyId,
    clientId: fields.clientId,
    userId: fields.userId,
    username: fields.username,
    scope: fields.scope,
    rotationSalt: randomBytes(32).toString('base64url'),
    issuedAt: fields.now,
    expiresAt: new Date(fields.now.getTime() + fields.ttlSeconds * 1000),
  };
}

function accessRecord(access: IssuedAccessToken, row: Pick<NewRefreshToken, 'id' | 'familyId' | 'clientId' | 'username'>): NewAccessToken {
  return { jti: access.jti, refreshTokenId: row.id, familyId: row.familyId, clientId: row.clientId, username: row.username, issuedAt: access.issuedAt, expiresAt: access.expiresAt };
}

function tokenResponse(access: IssuedAccessToken, scope: string, refreshToken: string, refreshExpiresIn: number): TokenResponse {
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: Math.round((access.expiresAt.getTime() - access.issuedAt.getTime()) / 1000),
    refresh_token: refreshToken,
    refresh_expires_in: refreshExpiresIn,
    scope,
    customerdetails: null,
  };
}

/** RFC 6749 section 3.2: request parameters must not be included more than once. */
function rejectRepeatedParameters(body: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) throw invalidRequest(`parameter ${name} is repeated`);
  }
}
