import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_EVENT_OUTBOX, ISSUED_TOKEN_REPOSITORY, OAUTH_CLIENT_REPOSITORY, USER_REPOSITORY } from '@npi/auth/data-access';
import type { AuthEventOutbox, ClientChanges, ClientRecord, IssuedTokenRepository, OAuthClientRepository, PendingEvent, UserRecord, UserRepository } from '@npi/auth/data-access';
import { parseCidr } from '@npi/auth-guards';
import { AuthClientUpdatedV1, AuthTokenRevokedV1 } from '@npi/kafka-contracts';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import type { PasswordHasher } from '../crypto/password-hasher';
import { AdminError } from '../errors';
import { auditEvent } from '../oauth/audit';
import type { RequestFacts } from '../oauth/audit';
import { revocationEvents } from '../oauth/oauth-token.service';
import { PASSWORD_HASHER } from '../tokens';
import type { CreateClientInput, CreateUserInput, ResetPasswordInput, UpdateClientInput, UpdateUserInput } from './auth-admin.contracts';

export interface ClientView {
  clientId: string;
  status: string;
  authMethod: string;
  memberCode: string | null;
  allowedCidrs: string[];
  scopes: string[];
  grantTypes: string[];
  accessTokenTtlSeconds: number | null;
  refreshTokenTtlSeconds: number | null;
  refreshTokenPolicy: string;
  refreshGraceSeconds: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface UserView {
  username: string;
  status: string;
  failedAttempts: number;
  lockedUntil: string | null;
}

/** A generated secret or password: 256 random bits, shown once. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function clientUpdatedEvent(client: ClientRecord, correlationId?: string): PendingEvent {
  return {
    contract: AuthClientUpdatedV1,
    data: {
      clientId: client.clientId,
      revision: client.revision,
      status: client.status,
      allowedCidrs: client.allowedCidrs,
      ...(client.memberCode ? { memberCode: client.memberCode } : {}),
      ...(client.accessTokenTtlSeconds ? { accessTokenTtlSeconds: client.accessTokenTtlSeconds } : {}),
      ...(client.refreshTokenTtlSeconds ? { refreshTokenTtlSeconds: client.refreshTokenTtlSeconds } : {}),
    },
    key: client.clientId,
    correlationId,
  };
}

/**
 * Clients, users, CIDRs and lifetimes. Every client change publishes auth.client.updated.v1 through
 * the outbox; disabling a client or user, or resetting a password, also revokes their tokens.
 */
@Injectable()
export class AuthAdminService {
  constructor(
    @Inject(OAUTH_CLIENT_REPOSITORY) private readonly clients: OAuthClientRepository,
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(ISSUED_TOKEN_REPOSITORY) private readonly tokens: IssuedTokenRepository,
    @Inject(AUTH_EVENT_OUTBOX) private readonly outbox: AuthEventOutbox,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(SERVICE_CONFIG) private readonly config: AuthServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async listClients(): Promise<ClientView[]> {
    return (await this.clients.listClients()).map(viewOfClient);
  }

  async getClient(clientId: string): Promise<ClientView> {
    return viewOfClient(await this.client(clientId));
  }

  /** `input` was checked against `createClientBody` at the edge (ZodBodyPipe). */
  async createClient(input: CreateClientInput, facts: RequestFacts, actor: string): Promise<ClientView & { clientSecret: string }> {
    if (await this.clients.findClient(input.clientId)) throw new AdminError('ERR_CLIENT_EXISTS', 'a client with this clientId exists');
    const clientSecret = generateSecret();
    const stored = await this.clients.createClient(
      {
        id: randomUUID(),
        clientId: input.clientId,
        secretHash: await this.hasher.hash(clientSecret),
        authMethod: input.authMethod ?? 'client_secret_basic',
        status: 'ACTIVE',
        memberCode: input.memberCode ?? null,
        allowedCidrs: input.allowedCidrs.map((cidr) => parseCidr(cidr).text),
        scopes: input.scopes ?? this.config.AUTH_DEFAULT_SCOPE.split(' '),
        grantTypes: input.grantTypes ?? ['password', 'refresh_token'],
        accessTokenTtlSeconds: input.accessTokenTtlSeconds ?? null,
        refreshTokenTtlSeconds: input.refreshTokenTtlSeconds ?? null,
        // NCHL's integration guide has members reuse the stored refresh token until it expires.
        refreshTokenPolicy: input.refreshTokenPolicy ?? 'reusable',
        refreshGraceSeconds: input.refreshGraceSeconds ?? 0,
      },
      (row) => [clientUpdatedEvent(row, facts.correlationId), auditEvent(facts, { action: 'admin.client.create', outcome: 'success', clientId: row.clientId, username: actor })],
    );
    return { ...viewOfClient(stored), clientSecret };
  }

  async updateClient(clientId: string, input: UpdateClientInput, facts: RequestFacts, actor: string): Promise<ClientView> {
    const changes: ClientChanges = { ...input, ...(input.allowedCidrs ? { allowedCidrs: input.allowedCidrs.map((cidr) => parseCidr(cidr).text) } : {}) };
    const now = this.clock.now();
    const stored = await this.clients.updateClient(clientId, changes, (row) => [
      clientUpdatedEvent(row, facts.correlationId),
      ...(input.status === 'DISABLED'
        ? [{ contract: AuthTokenRevokedV1, data: { reason: 'client_disabled', jtis: [], clientId, revokedBefore: now.toISOString(), expiresAt: this.accessHorizon(row, now) }, key: clientId, correlationId: facts.correlationId }]
        : []),
      auditEvent(facts, { action: 'admin.client.update', outcome: 'success', clientId, username: actor, detail: Object.keys(input).join(',') }),
    ]);
    if (!stored) throw new AdminError('ERR_CLIENT_NOT_FOUND', 'no such client');
    return viewOfClient(stored);
  }

  async rotateSecret(clientId: string, facts: RequestFacts, actor: string): Promise<{ clientId: string; clientSecret: string }> {
    const clientSecret = generateSecret();
    const secretHash = await this.hasher.hash(clientSecret);
    const stored = await this.clients.updateClient(clientId, { secretHash }, (row) => [
      clientUpdatedEvent(row, facts.correlationId),
      auditEvent(facts, { action: 'admin.client.rotate_secret', outcome: 'success', clientId, username: actor }),
    ]);
    if (!stored) throw new AdminError('ERR_CLIENT_NOT_FOUND', 'no such client');
    return { clientId, clientSecret };
  }

  async listUsers(clientId: string): Promise<UserView[]> {
    const client = await this.client(clientId);
    return (await this.users.listUsers(client.id)).map(viewOfUser);
  }

  /** The answer carries the password only when it was generated here: a password the operator chose is never echoed. */
  async createUser(clientId: string, input: CreateUserInput, facts: RequestFacts, actor: string): Promise<UserView & { password?: string }> {
    const client = await this.client(clientId);
    if (await this.users.findUser(client.id, input.username)) throw new AdminError('ERR_USER_EXISTS', 'a user with this username exists for this client');
    const password = input.password ?? generateSecret();
    const stored = await this.users.createUser(
      { id: randomUUID(), clientRowId: client.id, username: input.username, passwordHash: await this.hasher.hash(password), status: 'ACTIVE' },
      [auditEvent(facts, { action: 'admin.user.create', outcome: 'success', clientId, username: input.username, detail: `by ${actor}` })],
    );
    return input.password === undefined ? { ...viewOfUser(stored), password } : viewOfUser(stored);
  }

  async updateUser(clientId: string, username: string, input: UpdateUserInput, facts: RequestFacts, actor: string): Promise<UserView> {
    const { client, user } = await this.user(clientId, username);
    const stored = await this.users.updateUser(user.id, { status: input.status }, [
      auditEvent(facts, { action: input.status === 'DISABLED' ? 'admin.user.disable' : 'admin.user.enable', outcome: 'success', clientId, username, detail: `by ${actor}` }),
    ]);
    if (input.status === 'DISABLED') await this.revokeUser(client, username, 'user_disabled', facts);
    return viewOfUser(stored);
  }

  /** Sets a new password (generated unless given), unlocks, and revokes the user's tokens. */
  /** The answer carries the password only when it was generated here: a password the operator chose is never echoed. */
  async resetPassword(clientId: string, username: string, input: ResetPasswordInput, facts: RequestFacts, actor: string): Promise<{ username: string; password?: string }> {
    const { client, user } = await this.user(clientId, username);
    const password = input.password ?? generateSecret();
    await this.users.updateUser(user.id, { passwordHash: await this.hasher.hash(password), failedAttempts: 0, lockedUntil: null }, [
      auditEvent(facts, { action: 'admin.user.reset', outcome: 'success', clientId, username, detail: `by ${actor}` }),
    ]);
    await this.revokeUser(client, username, 'password_reset', facts);
    return input.password === undefined ? { username, password } : { username };
  }

  private async revokeUser(client: ClientRecord, username: string, reason: 'user_disabled' | 'password_reset', facts: RequestFacts): Promise<void> {
    const now = this.clock.now();
    const revoked = await this.tokens.revokeUserTokens(client.clientId, username, now, (rows) =>
      revocationEvents(rows.accessTokens, now, reason, { clientId: client.clientId, subject: username, revokedBefore: now }, facts),
    );
    if (revoked.refreshTokens.length === 0) {
      // No refresh rows: still publish the cut-off so caches drop any access token in flight.
      await this.outbox.appendEvents(revocationEvents([], now, reason, { clientId: client.clientId, subject: username, revokedBefore: now }, facts).map((event) => ({
        ...event,
        data: { ...(event.data as object), expiresAt: this.accessHorizon(client, now) },
      })));
    }
  }

  private accessHorizon(client: ClientRecord, now: Date): string {
    return new Date(now.getTime() + (client.accessTokenTtlSeconds ?? this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS) * 1000).toISOString();
  }

  private async client(clientId: string): Promise<ClientRecord> {
    const client = await this.clients.findClient(clientId);
    if (!client) throw new AdminError('ERR_CLIENT_NOT_FOUND', 'no such client');
    return client;
  }

  private async user(clientId: string, username: string): Promise<{ client: ClientRecord; user: UserRecord }> {
    const client = await this.client(clientId);
    const user = await this.users.findUser(client.id, username);
    if (!user) throw new AdminError('ERR_USER_NOT_FOUND', 'no such user');
    return { client, user };
  }
}

function viewOfClient(client: ClientRecord): ClientView {
  return {
    clientId: client.clientId,
    status: client.status,
    authMethod: client.authMethod,
    memberCode: client.memberCode,
    allowedCidrs: client.allowedCidrs,
    scopes: client.scopes,
    grantTypes: client.grantTypes,
    accessTokenTtlSeconds: client.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: client.refreshTokenTtlSeconds,
    refreshTokenPolicy: client.refreshTokenPolicy,
    refreshGraceSeconds: client.refreshGraceSeconds,
    revision: client.revision,
    createdAt: client.createdAt.toISOString(),
    updatedAt: client.updatedAt.toISOString(),
  };
}

function viewOfUser(user: UserRecord): UserView {
  return { username: user.username, status: user.status, failedAttempts: user.failedAttempts, lockedUntil: user.lockedUntil?.toISOString() ?? null };
}
