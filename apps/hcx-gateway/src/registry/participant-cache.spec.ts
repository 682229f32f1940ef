import { randomBytes } from 'node:crypto';
import type { ParticipantRecord, ParticipantRepository } from '@npi/hcx/data-access';
import { ManualClock } from '@npi/service-runtime';
import { KeyEncryption, clientSecretContext } from '../crypto/key-encryption';
import { ParticipantCache } from './participant-cache';

describe('ParticipantCache', () => {
  const keys = new KeyEncryption({ k1: randomBytes(32).toString('base64') }, 'k1');
  const record = (code: string): ParticipantRecord => ({
    participantCode: code,
    name: code,
    roles: ['payor'],
    status: 'Active',
    primaryEmail: 'a@b.c',
    primaryMobile: null,
    endpointUrl: 'https://payor.example',
    encryptionCert: '',
    signingCert: '',
    secretCiphertext: keys.encrypt(randomBytes(32).toString('base64url'), clientSecretContext(code)).ciphertext,
    secretKekId: 'k1',
    secretVersion: 1,
    profile: {},
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  function setup() {
    const reads: (() => void)[] = [];
    let count = 0;
    const repository = {
      find: (code: string) => {
        count += 1;
        return new Promise<ParticipantRecord>((resolve) => reads.push(() => resolve(record(code))));
      },
    } as unknown as ParticipantRepository;
    const clock = new ManualClock(new Date());
    const cache = new ParticipantCache(repository, keys, clock, { HCX_PARTICIPANT_CACHE_TTL_MS: 60_000 });
    return { cache, clock, reads, readsMade: () => count };
  }

  it('answers concurrent misses of one participant with one read, and from memory until the TTL', async () => {
    const { cache, clock, reads, readsMade } = setup();
    const pending = Array.from({ length: 50 }, () => cache.get('payor-1'));
    expect(readsMade()).toBe(1);
    reads.splice(0).forEach((resolve) => resolve());
    const values = await Promise.all(pending);
    expect(new Set(values).size).toBe(1);
    expect(values[0]?.participantCode).toBe('payor-1');
    await cache.get('payor-1');
    expect(readsMade()).toBe(1);
    clock.advance(60_001);
    const expired = [cache.get('payor-1'), cache.get('payor-1')];
    reads.splice(0).forEach((resolve) => resolve());
    await Promise.all(expired);
    expect(readsMade()).toBe(2);
  });

  it('starts a new read for a miss after an invalidation instead of joining the read that began before it', async () => {
    const { cache, reads, readsMade } = setup();
    const before = cache.get('payor-2');
    cache.invalidate('payor-2');
    const after = cache.get('payor-2');
    expect(readsMade()).toBe(2);
    reads.splice(0).forEach((resolve) => resolve());
    await Promise.all([before, after]);
    // Only the read that began after the invalidation was kept.
    await cache.get('payor-2');
    expect(readsMade()).toBe(2);
  });
});
