import { GroupCommit } from './group-commit';

/** A write whose batches stay open until released, so a test controls what queues meanwhile. */
function gatedWrite(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (items: number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (items.some(fail)) throw new Error(`bad item in ${items.join(',')}`);
    return items.map((item) => item * 10);
  };
  const releaseAll = async () => {
    while (gates.length > 0) {
      gates.splice(0).forEach((open) => open());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { batches, write, releaseAll };
}

describe('GroupCommit', () => {
  it('writes an item at once while a slot is free, and batches what queues behind running writes', async () => {
    const gated = gatedWrite();
    const group = new GroupCommit(gated.write, { maxInFlight: 1, maxBatch: 10 });
    const first = group.submit(1);
    const rest = [2, 3, 4].map((item) => group.submit(item));
    expect(gated.batches).toEqual([[1]]);
    await gated.releaseAll();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(gated.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batches within maxBatch and runs up to maxInFlight of them at once', async () => {
    const gated = gatedWrite();
    const group = new GroupCommit(gated.write, { maxInFlight: 2, maxBatch: 2 });
    const results = [1, 2, 3, 4, 5, 6].map((item) => group.submit(item));
    expect(gated.batches).toEqual([[1], [2]]);
    await gated.releaseAll();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(gated.batches.slice(2)).toEqual([[3, 4], [5, 6]]);
  });

  it('fails only the item that makes a batch fail: the others are retried alone and succeed', async () => {
    const gated = gatedWrite((item) => item === 3);
    const group = new GroupCommit(gated.write, { maxInFlight: 1 });
    const first = group.submit(1);
    const queued = [2, 3, 4].map((item) => group.submit(item).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    await gated.releaseAll();
    await first;
    expect(await Promise.all(queued)).toEqual([{ value: 20 }, { error: 'bad item in 3' }, { value: 40 }]);
  });

  it('refuses a write that answers a different number of results than items', async () => {
    const group = new GroupCommit(async () => [1], { maxInFlight: 1 });
    await expect(group.submit(1)).resolves.toBe(1);
    const broken = new GroupCommit(async (items: number[]) => items.slice(1), {});
    await expect(broken.submit(1)).rejects.toThrow('0 results for 1 items');
  });
});
