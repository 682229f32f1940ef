import { ManualClock } from '@npi/service-runtime';
import type { ParticipantRecord, HostParticipantRepository } from '@npi/session/data-access';
import { CachedHostParticipantRepository } from './registry-cache';

const record = (status: ParticipantRecord['status']): ParticipantRecord => ({
  code: 'bank', name: 'Bank', status, allowedAlgorithms: ['PS256'], hostOrigins: ['https://bank.example'], channels: ['web'], enabledBillers: [], keys: [],
});

describe('CachedHostParticipantRepository', () => {
  it('serves reads from cache within the TTL, sees another replica\'s change after it, and drops its own writes at once', async () => {
    const clock = new ManualClock();
    let stored = record('ACTIVE');
    const inner: HostParticipantRepository = {
      find: jest.fn(async () => stored),
      upsert: jest.fn(async (p: ParticipantRecord) => {
        stored = p;
      }),
      list: jest.fn(async () => [stored]),
    };
    const cache = new CachedHostParticipantRepository(inner, clock, 5_000);
    expect((await cache.find('bank'))?.status).toBe('ACTIVE');
    stored = record('SUSPENDED'); // written by another replica
    expect((await cache.find('bank'))?.status).toBe('ACTIVE');
    clock.advance(5_001);
    expect((await cache.find('bank'))?.status).toBe('SUSPENDED');
    await cache.upsert(record('ACTIVE'), clock.now());
    expect((await cache.find('bank'))?.status).toBe('ACTIVE');
    expect(inner.find).toHaveBeenCalledTimes(3);
  });

  it('reads through every time when the TTL is 0', async () => {
    const inner = { find: jest.fn(async () => record('ACTIVE')), upsert: jest.fn(), list: jest.fn() } as unknown as HostParticipantRepository;
    const cache = new CachedHostParticipantRepository(inner, new ManualClock(), 0);
    await cache.find('bank');
    await cache.find('bank');
    expect(inner.find).toHaveBeenCalledTimes(2);
  });
});
