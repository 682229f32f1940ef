import type { JSONWebKeySet } from 'jose';
import type { AccessTokenAlgorithm } from '../checks/access-token';

export interface AuthGuardsOptions {
  /** auth-service's issuer identifier (`iss` of its access tokens, RFC 8414 `issuer`). */
  issuer: string;
  /** This resource service's identifier, expected in `aud`. */
  audience: string | string[];
  /** auth-service's `/.well-known/jwks.json`: fetched lazily, cached, refetched on an unknown `kid`. */
  jwksUrl?: string;
  /** A local key set instead of `jwksUrl` (tests, air-gapped deployments). */
  jwks?: JSONWebKeySet;
  /** Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs; TRUSTED_PROXIES). */
  trustedProxies: string[];
  /**
   * Feed the caches from auth.token.revoked.v1 / auth.client.updated.v1 (AuthCacheEventsHandler,
   * subscribed by the platform's broker transport). Default true; false leaves them to the caller.
   */
  subscribe?: boolean;
  clockToleranceSeconds?: number;
  algorithms?: AccessTokenAlgorithm[];
  /** How long a fetched JWKS is trusted before a refetch (ms). Default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /** Minimum time between two JWKS fetches (ms), also on unknown `kid`s. Default 30 s. */
  jwksCooldownMs?: number;
}
