import { createHash } from 'node:crypto';

/** Same key, same partition: that is what keeps per-key order in both adapters. */
export function partitionFor(key: string | undefined, partitions: number, roundRobin: () => number): number {
  if (key === undefined) return roundRobin() % partitions;
  return createHash('sha1').update(key).digest().readUInt32BE(0) % partitions;
}
