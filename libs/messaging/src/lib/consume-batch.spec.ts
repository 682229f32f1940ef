import { consumeBatch } from './consume-batch';

function control(overrides: Partial<Parameters<typeof consumeBatch>[2]> = {}) {
  const resolved: string[] = [];
  return {
    resolved,
    control: { maxInFlight: 8, isRunning: () => true, resolveOffset: (offset: string) => void resolved.push(offset), heartbeat: async () => undefined, ...overrides },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('consumeBatch', () => {
  it('keeps per-key order while different keys run concurrently', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => ({ key: `k${i % 3}`, offset: String(i) }));
    const started: string[] = [];
    const finished: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const { control: batch, resolved } = control();
    await consumeBatch(
      messages,
      async (message) => {
        started.push(message.offset);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick();
        inFlight -= 1;
        finished.push(message.offset);
      },
      batch,
    );
    expect(maxInFlight).toBe(3);
    for (const key of ['k0', 'k1', 'k2']) {
      const order = finished.filter((offset) => `k${Number(offset) % 3}` === key).map(Number);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(resolved).toEqual(messages.map((m) => m.offset));
  });

  it('resolves only the contiguous prefix before a failure and rethrows it', async () => {
    const messages = [
      { key: 'a', offset: '0' },
      { key: 'b', offset: '1' },
      { key: 'c', offset: '2' },
    ];
    const { control: batch, resolved } = control();
    const failure = new Error('down');
    await expect(
      consumeBatch(
        messages,
        async (message) => {
          if (message.key === 'b') throw failure;
          await tick();
        },
        batch,
      ),
    ).rejects.toBe(failure);
    expect(resolved).toEqual(['0']);
  });

  it('bounds concurrency by maxInFlight and starts nothing once stopped', async () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, offset: String(i) }));
    let running = true;
    let inFlight = 0;
    let maxInFlight = 0;
    const handled: string[] = [];
    const { control: batch, resolved } = control({ maxInFlight: 2, isRunning: () => running });
    await consumeBatch(
      messages,
      async (message) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        handled.push(message.offset);
        if (handled.length === 4) running = false;
        await tick();
        inFlight -= 1;
      },
      batch,
    );
    expect(maxInFlight).toBe(2);
    expect(handled.length).toBeLessThanOrEqual(5);
    expect(resolved).toEqual(handled.slice(0, resolved.length));
    expect(resolved.length).toBeLessThan(messages.length);
  });
});
