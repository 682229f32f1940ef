import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { EnvelopeError, JwksFetchFailed, KeyTooSmall } from '../errors';
import type { KeyEntry, KeyLookup, KeyUse } from '../keys/key-set';
import { isJweKeyAlgorithm, isJwsAlgorithm } from '../lib/algorithms';
import { assertRsaKey } from '../lib/key-policy';

/** The subset of WHATWG `fetch` used here; inject your own for tests or a custom agent. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string>; redirect: 'error' },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export interface RemoteJwksOptions {
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Keys are refetched when older than this; default 10 minutes. */
  cacheMaxAgeMs?: number;
  /** Minimum time between two fetches (an unknown `kid` must not let callers flood the host); default 30 s. */
  cooldownMs?: number;
  /** Per-fetch timeout; default 5 s. */
  timeoutMs?: number;
  /** Largest JWKS document accepted; default 256 KiB. */
  maxBytes?: number;
  /** Plain `http:` URLs are refused (keys fetched in clear can be swapped in transit) unless true. */
  allowHttp?: boolean;
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

interface RemoteKey {
  kid: string;
  key: KeyEntry['key'];
  use?: KeyUse;
  alg?: KeyEntry['alg'];
}

/**
 * A partner's JWKS fetched over HTTPS: cached, refetched when stale or when an unknown `kid` shows
 * up (a partner rotated keys), with at most one fetch per `cooldownMs` and one in flight at a time.
 * If a refresh fails, the keys already held stay in use (an outage at the partner's JWKS host does
 * not stop traffic signed with known keys); the first fetch failing is `ERR_JWKS_FETCH_FAILED`.
 *
 * Keys that are not RSA, lack a `kid`, carry private material or an unknown `alg` are ignored; an
 * RSA key under 2048 bits is remembered so that asking for it is `ERR_KEY_TOO_SMALL`.
 */
export class RemoteJwks implements KeyLookup {
  private readonly url: string;
  private readonly fetchImpl: FetchLike;
  private readonly cacheMaxAgeMs: number;
  private readonly cooldownMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private keys: RemoteKey[] | undefined;
  private tooSmall = new Set<string>();
  private fetchedAt = -Infinity;
  private lastAttemptAt = -Infinity;
  private inflight: Promise<void> | undefined;

  constructor(url: string | URL, options: RemoteJwksOptions = {}) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && options.allowHttp)) {
      throw new TypeError('remote JWKS URL must use https: (or set allowHttp for http:)');
    }
    this.url = parsed.href;
    this.fetchImpl = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.cacheMaxAgeMs = options.cacheMaxAgeMs ?? 10 * 60_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    this.now = options.now ?? Date.now;
  }

  async getKey(kid: string | undefined, use: KeyUse): Promise<KeyEntry | undefined> {
    if (this.keys === undefined) {
      // Never fetched successfully: fetch, but still at most once per cooldown.
      if (!this.coolEnough()) throw new JwksFetchFailed('remote JWKS unavailable (retrying after the cooldown)');
      await this.refresh();
    } else if (this.now() - this.fetchedAt > this.cacheMaxAgeMs && this.coolEnough()) {
      await this.refresh().catch(() => undefined); // stale-if-error
    }
    let found = this.find(kid, use);
    if (!found && kid !== undefined && !this.tooSmall.has(kid) && this.coolEnough()) {
      await this.refresh().catch(() => undefined);
      found = this.find(kid, use);
    }
    if (!found && kid !== undefined && this.tooSmall.has(kid)) {
      throw new KeyTooSmall('remote JWKS key is under the 2048-bit minimum');
    }
    return found;
  }

  /** Fetches now (joining a fetch already in flight). Rejects with `ERR_JWKS_FETCH_FAILED`. */
  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private coolEnough(): boolean {
    return this.inflight !== undefined || this.now() - this.lastAttemptAt >= this.cooldownMs;
  }

  private find(kid: string | undefined, use: KeyUse): KeyEntry | undefined {
    const candidates = (this.keys ?? []).filter((key) => key.use === undefined || key.use === use);
    const match = kid === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : candidates.find((key) => key.kid === kid);
    return match ? { kid: match.kid, key: match.key, use, alg: match.alg } : undefined;
  }

  private async load(): Promise<void> {
    this.lastAttemptAt = this.now();
    let text: string;
    try {
      const response = await this.fetchImpl(this.url, {
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { accept: 'application/jwk-set+json, application/json' },
        redirect: 'error',
      });
      if (!response.ok) throw new JwksFetchFailed(`remote JWKS answered HTTP ${response.status}`);
      text = await response.text();
    } catch (error) {
      if (error instanceof EnvelopeError) throw error;
      throw new JwksFetchFailed('remote JWKS could not be fetched');
    }
    if (text.length > this.maxBytes) throw new JwksFetchFailed('remote JWKS is larger than allowed');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new JwksFetchFailed('remote JWKS is not JSON');
    }
    const list = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new JwksFetchFailed('remote JWKS has no "keys" array');
    const keys: RemoteKey[] = [];
    const tooSmall = new Set<string>();
    for (const jwk of list as unknown[]) {
      const parsed = parseJwk(jwk);
      if (parsed === 'too-small') tooSmall.add((jwk as { kid: string }).kid);
      else if (parsed) keys.push(parsed);
    }
    this.keys = keys;
    this.tooSmall = tooSmall;
    this.fetchedAt = this.now();
  }
}

function parseJwk(value: unknown): RemoteKey | 'too-small' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const jwk = value as JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };
  if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || jwk.kid.length === 0 || jwk.d !== undefined) return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig' && jwk.use !== 'enc') return undefined;
  if (jwk.alg !== undefined && !isJwsAlgorithm(jwk.alg) && !isJweKeyAlgorithm(jwk.alg)) return undefined;
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    assertRsaKey(key, 'public', 'remote JWKS key');
    return { kid: jwk.kid, key, use: jwk.use as KeyUse | undefined, alg: jwk.alg as KeyEntry['alg'] };
  } catch (error) {
    return error instanceof KeyTooSmall ? 'too-small' : undefined;
  }
}

export function createRemoteJwks(url: string | URL, options?: RemoteJwksOptions): RemoteJwks {
  return new RemoteJwks(url, options);
}
