import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OAUTH_CLIENT_REPOSITORY } from '@npi/auth/data-access';
import type { ClientRecord, OAuthClientRepository } from '@npi/auth/data-access';
import type { PasswordHasher } from '../crypto/password-hasher';
import { invalidClient } from '../errors';
import { PASSWORD_HASHER } from '../tokens';
import type { PresentedClientCredentials } from './client-credentials';

const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX = 10_000;
/** How long a client record may serve refresh grants without a read (their write re-checks the revision). */
const RECORD_TTL_MS = 30_000;

/**
 * Verifies client secrets. An argon2id verification costs ~100-200 ms of a pool thread by design; a client
 * that refreshes every 5 minutes would pay it each time, so a successful verification is remembered
 * for 5 minutes as HMAC(process key, secret) next to the stored hash it matched. A rotated secret
 * (different stored hash, on any replica) misses the cache at once.
 */
@Injectable()
export class ClientAuthenticator {
  private readonly cacheKey = randomBytes(32);
  private readonly verified = new Map<string, { secretHash: string; digest: Buffer; until: number }>();
  private readonly records = new Map<string, { client: ClientRecord; until: number }>();

  constructor(
    @Inject(OAUTH_CLIENT_REPOSITORY) private readonly repository: OAuthClientRepository,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
  ) {}

  /**
   * `cached`: the client record may come from memory (up to 30 s old). Only for callers whose write
   * re-checks `revision` in the database (the refresh grant): a client changed or disabled since
   * then is caught there, so no guarantee rests on the cache.
   */
  async authenticate(credentials: PresentedClientCredentials, nowMs: number, options: { cached?: boolean } = {}): Promise<ClientRecord> {
    const hit = options.cached ? this.records.get(credentials.clientId) : undefined;
    if (hit && hit.until > nowMs) {
      const cached = hit.client;
      if (cached.status === 'ACTIVE' && credentials.method === cached.authMethod && (await this.secretMatches(cached, credentials.clientSecret, nowMs))) return cached;
      // Refused by the cached record: it may be stale (secret rotated, client re-enabled); the stored one decides.
      this.records.delete(credentials.clientId);
    }
    const client = await this.record(credentials.clientId, nowMs);
    if (!client) {
      await this.hasher.verifyAgainstDummy(credentials.clientSecret);
      throw invalidClient('client authentication failed');
    }
    if (!(await this.secretMatches(client, credentials.clientSecret, nowMs))) throw invalidClient('client authentication failed');
    // client_secret_post only for a client configured for it (RFC 6749 section 2.3.1: Basic MUST be supported).
    if (credentials.method !== client.authMethod) throw invalidClient(`this client authenticates with ${client.authMethod}`);
    if (client.status !== 'ACTIVE') throw invalidClient('client is disabled');
    return client;
  }

  /** Drops the cached record (it turned out stale). */
  forget(clientId: string): void {
    this.records.delete(clientId);
  }

  private async record(clientId: string, nowMs: number): Promise<ClientRecord | undefined> {
    const client = await this.repository.findClient(clientId);
    if (!client) {
      this.records.delete(clientId);
      return undefined;
    }
    if (this.records.size >= CACHE_MAX && !this.records.has(clientId)) this.records.delete(this.records.keys().next().value as string);
    this.records.set(clientId, { client, until: nowMs + RECORD_TTL_MS });
    return client;
  }

  private async secretMatches(client: ClientRecord, secret: string, nowMs: number): Promise<boolean> {
    const digest = createHmac('sha256', this.cacheKey).update(client.clientId).update('\u0000').update(secret).digest();
    const cached = this.verified.get(client.clientId);
    if (cached && cached.until > nowMs && cached.secretHash === client.secretHash) {
      if (timingSafeEqual(cached.digest, digest)) return true;
    }
    const ok = await this.hasher.verify(secret, client.secretHash);
    if (ok && this.hasher.needsRehash(client.secretHash)) {
      // Upgrade a former-scheme hash of the same secret; only if nobody changed it meanwhile.
      const upgraded = await this.hasher.hash(secret);
      if (await this.repository.replaceClientSecretHash(client.clientId, client.secretHash, upgraded)) {
        client = { ...client, secretHash: upgraded };
        this.records.delete(client.clientId);
      }
    }
    if (ok) {
      if (this.verified.size >= CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(client.clientId, { secretHash: client.secretHash, digest, until: nowMs + CACHE_TTL_MS });
    }
    return ok;
  }
}
