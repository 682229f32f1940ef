/**
 * Group commit: concurrent callers' writes go to the database together, one statement (one
 * commit, one WAL flush, one outbox NOTIFY) per batch instead of one per caller.
 *
 * A caller's item is written at once when fewer than `maxInFlight` batches are running (an idle
 * service adds no delay); otherwise it waits for the next free slot and goes with every item that
 * queued meanwhile (up to `maxBatch`). Each caller gets its own result, in the order of the batch.
 * If a batch of several items fails, each item is retried alone, so one bad item fails only its
 * own caller.
 */
export interface GroupCommitOptions {
  /** Most items in one statement. */
  maxBatch?: number;
  /** Batches running at once; keep it below the connection pool so other work finds a connection. */
  maxInFlight?: number;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<Item, Result> {
  private readonly queue: Waiting<Item, Result>[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /** `write(items)` must resolve with one result per item, in the items' order. */
  constructor(
    private readonly write: (items: Item[]) => Promise<Result[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 64);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  }

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.drain();
      });
    }
  }

  private async run(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Isolate the failure: each item alone, so the others still commit.
      await Promise.all(batch.map((waiting) => this.run([waiting])));
    }
  }
}
