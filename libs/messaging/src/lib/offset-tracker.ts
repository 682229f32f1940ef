interface Entry {
  offset: bigint;
  done: boolean;
}

interface PartitionLog {
  topic: string;
  partition: number;
  entries: Entry[];
  committed?: bigint;
}

export interface CommittableOffset {
  topic: string;
  partition: number;
  /** The next offset to read (Kafka's committed offset convention). */
  offset: string;
}

/**
 * Which offsets may be committed when messages finish out of order (handed-off work): per
 * partition, only up to the first unfinished message. A message registered at or below an offset
 * already registered means the partition is being read again (retry, rebalance): the stale tail is
 * forgotten and tracked anew.
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, PartitionLog>();

  register(topic: string, partition: number, offset: string): () => void {
    const id = `${topic}\u0000${partition}`;
    let log = this.partitions.get(id);
    if (!log) {
      log = { topic, partition, entries: [] };
      this.partitions.set(id, log);
    }
    const value = BigInt(offset);
    const last = log.entries[log.entries.length - 1];
    if (last && value <= last.offset) log.entries = log.entries.filter((entry) => entry.offset < value);
    const entry: Entry = { offset: value, done: false };
    log.entries.push(entry);
    return () => {
      entry.done = true;
    };
  }

  /** Offsets that advanced since the last call (contiguous finished prefix per partition). */
  takeCommittable(): CommittableOffset[] {
    const result: CommittableOffset[] = [];
    for (const log of this.partitions.values()) {
      let advanced: bigint | undefined;
      while (log.entries.length > 0 && log.entries[0].done) advanced = (log.entries.shift() as Entry).offset + 1n;
      if (advanced !== undefined && advanced !== log.committed) {
        log.committed = advanced;
        result.push({ topic: log.topic, partition: log.partition, offset: advanced.toString() });
      }
    }
    return result;
  }
}
