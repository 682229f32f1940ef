/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in arrival order. Waiting
 * here costs nothing (unlike waiting for a pooled connection, which times out).
 */
export class Permits {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held < this.limit) this.held += 1;
    // A permit released while we wait is handed to us directly (held stays counted).
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.held -= 1;
    }
  }

  /** Holders now (tests, metrics). */
  get inUse(): number {
    return this.held;
  }
}
