import type { ReplayStore } from './replay-store';

export interface InMemoryReplayStoreOptions {
  /** Clock in milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
}

/**
 * Single-process `ReplayStore` for tests, standalone mode and single-replica tools. Several replicas
 * need a shared store (PostgreSQL, see `ReplayStore`). Expired keys are swept as new keys arrive.
 */
export class InMemoryReplayStore implements ReplayStore {
  private readonly used = new Map<string, number>();
  private readonly now: () => number;
  private nextSweepAt = 0;

  constructor(options: InMemoryReplayStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  markUsed(key: string, expiresAt: Date): Promise<boolean> {
    const now = this.now();
    this.sweep(now);
    const existing = this.used.get(key);
    if (existing !== undefined && existing > now) return Promise.resolve(false);
    this.used.set(key, expiresAt.getTime());
    return Promise.resolve(true);
  }

  /** Number of keys currently held (expired ones may linger until the next sweep). */
  get size(): number {
    return this.used.size;
  }

  // At most one full pass per second: O(1) amortised per call at any realistic rate.
  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 1000;
    for (const [key, expiresAt] of this.used) {
      if (expiresAt <= now) this.used.delete(key);
    }
  }
}
