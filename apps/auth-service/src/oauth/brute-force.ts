/**
 * Fixed-window request counters for the token endpoint (per source address, per client), kept in
 * memory per replica: a cheap first line that stops a flood before any password-hashing work is spent. The
 * per-user lockout (durable, in the database) is `lockoutUntil` below.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request; answers the seconds to wait when over the limit, else undefined. */
  hit(key: string, now: number): number | undefined {
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      if (this.windows.size > 100_000) this.sweep(now);
      return undefined;
    }
    window.count += 1;
    if (window.count > this.limit) return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return undefined;
  }

  /** Whether the last `hit` on `key` was the first refused one of its window (audit that one only). */
  firstRefusal(key: string): boolean {
    return this.windows.get(key)?.count === this.limit + 1;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

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
