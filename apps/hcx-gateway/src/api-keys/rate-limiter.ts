import type { Clock } from '@npi/service-runtime';

/**
 * Fixed-window counters per key (client id, source IP) for `/token/generate`. In memory, per
 * replica: the effective limit is N × replicas, which still bounds online guessing of a 256-bit
 * secret to nothing useful; a shared store can replace this port later.
 */
export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  /** Counts one hit; false once `limit` hits happened in the current window. */
  hit(key: string, limit: number): boolean {
    const now = this.clock.now().getTime();
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      if (this.windows.size > 50_000) this.sweep(now);
      return true;
    }
    window.count += 1;
    return window.count <= limit;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
