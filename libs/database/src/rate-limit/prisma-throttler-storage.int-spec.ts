/**
 * PrismaThrottlerStorage against the real PostgreSQL: fixed windows, blocking, a fresh window after
 * a block, and concurrent hits from two "replicas" (two clients) counted exactly once each.
 */
import { randomUUID } from 'node:crypto';
import { createPrismaClient } from '../prisma-client';
import type { PrismaClient } from '../prisma-client';
import { PrismaThrottlerStorage } from './prisma-throttler-storage';

jest.setTimeout(60_000);

describe('PrismaThrottlerStorage (PostgreSQL)', () => {
  let replicaA: PrismaClient;
  let replicaB: PrismaClient;
  let now = Date.UTC(2026, 11, 6, 8, 0, 0);
  const clock = () => new Date(now);

  beforeAll(() => {
    replicaA = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 8 });
    replicaB = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 8 });
  });
  afterAll(async () => {
    await replicaA.$disconnect();
    await replicaB.$disconnect();
  });

  const storage = (prisma: PrismaClient) => new PrismaThrottlerStorage({ prisma, schema: 'session', now: clock, sweepIntervalMs: 3_600_000 });

  it('counts hits in a fixed window, blocks past the limit, and starts afresh when the window and block are over', async () => {
    const key = `k-${randomUUID()}`;
    const store = storage(replicaA);
    const first = await store.increment(key, 60_000, 2, 30_000, 'test');
    expect(first).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    now += 10_000;
    expect(await store.increment(key, 60_000, 2, 30_000, 'test')).toEqual({ totalHits: 2, timeToExpire: 50, isBlocked: false, timeToBlockExpire: 0 });
    const third = await store.increment(key, 60_000, 2, 30_000, 'test');
    expect(third).toEqual({ totalHits: 3, timeToExpire: 50, isBlocked: true, timeToBlockExpire: 30 });
    // Hits while blocked neither count nor extend the block.
    now += 20_000;
    expect(await store.increment(key, 60_000, 2, 30_000, 'test')).toEqual({ totalHits: 3, timeToExpire: 30, isBlocked: true, timeToBlockExpire: 10 });
    // Block over: a fresh window.
    now += 10_000;
    expect(await store.increment(key, 60_000, 2, 30_000, 'test')).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps throttler names and keys apart', async () => {
    const key = `k-${randomUUID()}`;
    const store = storage(replicaA);
    await store.increment(key, 60_000, 5, 60_000, 'one');
    expect((await store.increment(key, 60_000, 5, 60_000, 'two')).totalHits).toBe(1);
    expect((await store.increment(`${key}-other`, 60_000, 5, 60_000, 'one')).totalHits).toBe(1);
  });

  it('counts concurrent hits from two replicas exactly once each: the limit holds across them', async () => {
    const key = `k-${randomUUID()}`;
    const stores = [storage(replicaA), storage(replicaB)];
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => stores[index % 2].increment(key, 60_000, 25, 60_000, 'race')));
    const counted = results.map((result) => result.totalHits).sort((a, b) => a - b);
    // 26 hits reach the row before it blocks (the 26th is the one that blocks); later ones see the block.
    expect(counted.slice(0, 26)).toEqual(Array.from({ length: 26 }, (_, index) => index + 1));
    expect(results.filter((result) => !result.isBlocked)).toHaveLength(25);
  });

  it('folds concurrent hits on one key into shared statements, each hit with its own running count', async () => {
    const key = `k-${randomUUID()}`;
    const store = storage(replicaA);
    const statements = jest.spyOn(replicaA, '$queryRawUnsafe');
    try {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.increment(key, 60_000, 10, 60_000, 'batch')));
      // Group commit: far fewer statements than hits.
      expect(statements.mock.calls.length).toBeLessThan(10);
      const allowed = results.filter((result) => !result.isBlocked);
      expect(allowed.map((result) => result.totalHits).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(results.filter((result) => result.isBlocked).every((result) => result.totalHits === 11 && result.timeToBlockExpire === 60)).toBe(true);
    } finally {
      statements.mockRestore();
    }
    // The row holds the count: the next hit is refused too.
    expect((await store.increment(key, 60_000, 10, 60_000, 'batch')).isBlocked).toBe(true);
  });

  it('continues a batch from the count already in the row, and keeps keys of one batch apart', async () => {
    const key = `k-${randomUUID()}`;
    const store = storage(replicaA);
    for (let i = 0; i < 3; i += 1) await store.increment(key, 60_000, 10, 60_000, 'base');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) => store.increment(index % 2 === 0 ? key : `${key}-other`, 60_000, 10, 60_000, 'base')),
    );
    const mine = results.filter((_, index) => index % 2 === 0);
    const other = results.filter((_, index) => index % 2 === 1);
    expect(mine.filter((result) => !result.isBlocked).map((result) => result.totalHits).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(other.filter((result) => !result.isBlocked).map((result) => result.totalHits).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('shares one limit between two replicas batching concurrently', async () => {
    const key = `k-${randomUUID()}`;
    const stores = [storage(replicaA), storage(replicaB)];
    const results = await Promise.all(Array.from({ length: 60 }, (_, index) => stores[index % 2].increment(key, 60_000, 10, 60_000, 'shared')));
    const allowed = results.filter((result) => !result.isBlocked);
    expect(allowed.map((result) => result.totalHits).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Each replica alone would have allowed 10: the count is in the row both update.
    expect((await stores[0].increment(key, 60_000, 10, 60_000, 'shared')).isBlocked).toBe(true);
    expect((await stores[1].increment(key, 60_000, 10, 60_000, 'shared')).isBlocked).toBe(true);
  });

  it('sweeps rows whose window and block are over', async () => {
    const key = `k-${randomUUID()}`;
    const store = storage(replicaA);
    await store.increment(key, 1_000, 5, 1_000, 'sweep');
    now += 5_000;
    expect(await store.sweep()).toBeGreaterThanOrEqual(1);
    const rows = await replicaA.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "session"."rate_limit_bucket" WHERE key = $1`, `sweep:${key}`);
    expect(rows).toHaveLength(0);
  });
});
