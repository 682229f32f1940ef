import type { RateLimitRule } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import { presentedClientCredentials } from './client-credentials';

/** Rule names, also the suffix of the throttler's `Retry-After-<name>` header the OAuth filter reads. */
export const OAUTH_SOURCE_LIMIT = 'oauth-source';
export const OAUTH_CLIENT_LIMIT = 'oauth-client';

/**
 * The OAuth endpoints (token, revoke, introspect) are limited per source address and per presented
 * client id, each route on its own counter, before any password hashing is spent. Counted in
 * PostgreSQL (`auth.rate_limit_bucket`), so the limits hold across replicas. A request whose client
 * credentials cannot be read is counted per source only (it is refused as `invalid_client` anyway).
 */
export function oauthRateLimits(config: Pick<AuthServiceConfig, 'AUTH_RATE_LIMIT_PER_MINUTE'>): RateLimitRule[] {
  return [
    { name: OAUTH_SOURCE_LIMIT, limit: config.AUTH_RATE_LIMIT_PER_MINUTE, ttlMs: 60_000, by: 'source-address' },
    {
      name: OAUTH_CLIENT_LIMIT,
      limit: config.AUTH_RATE_LIMIT_PER_MINUTE,
      ttlMs: 60_000,
      by: (request) => {
        try {
          const body = (request.body ?? {}) as Record<string, unknown>;
          return presentedClientCredentials(request.headers.authorization, body).clientId;
        } catch {
          return undefined;
        }
      },
    },
  ];
}
