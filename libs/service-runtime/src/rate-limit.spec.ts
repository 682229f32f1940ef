/**
 * RateLimitGuard with an in-memory storage: a request's rules are counted at once (both reach the
 * storage before either answers), every rule is counted even when one refuses, and a refusal is
 * the ThrottlerException the protocol filters render as 429.
 */
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerException } from '@nestjs/throttler';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitGuard } from './rate-limit';

interface Hit {
  key: string;
  limit: number;
  answer: (totalHits: number) => void;
}

/** Holds every increment until the spec answers it, so the spec sees what arrived together. */
class HeldStorage implements ThrottlerStorage {
  readonly hits: Hit[] = [];
  increment(key: string, _ttl: number, limit: number, blockDuration: number) {
    return new Promise<{ totalHits: number; timeToExpire: number; isBlocked: boolean; timeToBlockExpire: number }>((resolve) => {
      this.hits.push({
        key,
        limit,
        answer: (totalHits) =>
          resolve({ totalHits, timeToExpire: 60, isBlocked: totalHits > limit, timeToBlockExpire: totalHits > limit ? Math.ceil(blockDuration / 1000) : 0 }),
      });
    });
  }
}

async function guardWith(storage: ThrottlerStorage, skipClient = false) {
  const guard = new RateLimitGuard(
    {
      throttlers: [
        { name: 'source', limit: 5, ttl: 60_000, getTracker: () => 'source:10.0.0.1', generateKey: (_c, tracker, name) => `${name}:${tracker}` },
        {
          name: 'client',
          limit: 3,
          ttl: 60_000,
          skipIf: () => skipClient,
          getTracker: () => 'key:client-a',
          generateKey: (_c, tracker, name) => `${name}:${tracker}`,
        },
      ],
    },
    storage,
    new Reflector(),
  );
  await guard.onModuleInit();
  return guard;
}

function context(): ExecutionContext {
  const response = { header: () => undefined, setHeader: () => undefined };
  return {
    switchToHttp: () => ({ getRequest: () => ({ headers: {} }), getResponse: () => response }),
    getClass: () => RateLimitGuard,
    getHandler: () => context,
  } as unknown as ExecutionContext;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RateLimitGuard', () => {
  it("sends all of a request's rules to the storage before any answers, and lets the request through under every limit", async () => {
    const storage = new HeldStorage();
    const outcome = (await guardWith(storage)).canActivate(context());
    await flush();
    expect(storage.hits.map((hit) => hit.key).sort()).toEqual(['client:key:client-a', 'source:source:10.0.0.1']);
    storage.hits.forEach((hit) => hit.answer(1));
    await expect(outcome).resolves.toBe(true);
  });

  it('refuses with ThrottlerException when one rule is over its limit, the other rule still counted', async () => {
    const storage = new HeldStorage();
    const outcome = (await guardWith(storage)).canActivate(context());
    await flush();
    expect(storage.hits).toHaveLength(2);
    for (const hit of storage.hits) hit.answer(hit.key.startsWith('client') ? 4 : 1);
    await expect(outcome).rejects.toBeInstanceOf(ThrottlerException);
  });

  it("does not count a rule whose skipIf says so", async () => {
    const storage = new HeldStorage();
    const outcome = (await guardWith(storage, true)).canActivate(context());
    await flush();
    expect(storage.hits.map((hit) => hit.key)).toEqual(['source:source:10.0.0.1']);
    storage.hits[0].answer(1);
    await expect(outcome).resolves.toBe(true);
  });
});
