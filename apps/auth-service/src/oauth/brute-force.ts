/**
 * Per-user lockout after failed passwords (durable, in the database, so it holds on every replica).
 * Request rate limits are a different rule: `rate-limits.ts`, enforced by RateLimitGuard.
 */
export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * Growing delay: from the `threshold`-th consecutive failure on, the user is locked for
 * base * 2^(failures - threshold) seconds, capped at max (OWASP Authentication Cheat Sheet,
 * "Account lockout"). Undefined below the threshold.
 */
export function lockoutUntil(failedAttempts: number, policy: LockoutPolicy, now: Date): Date | undefined {
  if (failedAttempts < policy.threshold) return undefined;
  const exponent = Math.min(failedAttempts - policy.threshold, 30);
  const seconds = Math.min(policy.baseSeconds * 2 ** exponent, policy.maxSeconds);
  return new Date(now.getTime() + seconds * 1000);
}
