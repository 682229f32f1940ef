import { InMemoryReplayStore } from './in-memory-replay-store';

describe('InMemoryReplayStore', () => {
  it('accepts a key once until it expires', async () => {
    let now = 1_000_000;
    const store = new InMemoryReplayStore({ now: () => now });
    expect(await store.markUsed('k', new Date(now + 60_000))).toBe(true);
    expect(await store.markUsed('k', new Date(now + 60_000))).toBe(false);
    expect(await store.markUsed('other', new Date(now + 60_000))).toBe(true);
    now += 60_001;
    expect(await store.markUsed('k', new Date(now + 60_000))).toBe(true);
  });

  it('lets exactly one of many concurrent callers win', async () => {
    const store = new InMemoryReplayStore();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.markUsed('same', new Date(Date.now() + 60_000))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('sweeps expired keys', async () => {
    let now = 0;
    const store = new InMemoryReplayStore({ now: () => now });
    for (let index = 0; index < 100; index += 1) await store.markUsed(`k${index}`, new Date(now + 10));
    now += 5_000;
    await store.markUsed('fresh', new Date(now + 10));
    expect(store.size).toBe(1);
  });
});
