import { Permits } from './permits';

describe('Permits', () => {
  it('runs at most `limit` at once and the rest in arrival order, also after a failure', async () => {
    const permits = new Permits(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((n) =>
      permits.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        order.push(n);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        if (n === 1) throw new Error('failed');
        return n;
      }),
    );
    const all = Promise.allSettled(tasks);
    for (let released = 0; released < 5; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = releases.shift();
      if (!next) continue;
      next();
      released += 1;
    }
    const settled = await all;
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(permits.inUse).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new Permits(0)).toThrow(RangeError);
  });
});
