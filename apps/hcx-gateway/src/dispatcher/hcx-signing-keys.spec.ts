import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import type { SigningKeyRecord, SigningKeyRepository } from '@npi/hcx/data-access';
import { ManualClock } from '@npi/service-runtime';
import { KeyEncryption } from '../crypto/key-encryption';
import { HcxSigningKeys } from './hcx-signing-keys';

/** An in-memory signing-key table that counts reads. */
class CountingSigningKeyRepository implements SigningKeyRepository {
  rows: SigningKeyRecord[] = [];
  reads = 0;
  async list(): Promise<SigningKeyRecord[]> {
    this.reads += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.rows;
  }
  async activeOrInsert(candidate: () => Omit<SigningKeyRecord, 'createdAt' | 'active'>): Promise<SigningKeyRecord> {
    const active = this.rows.find((row) => row.active);
    if (active) return active;
    const row = { ...candidate(), active: true, createdAt: new Date() };
    this.rows.push(row);
    return row;
  }
  async rotate(next: Omit<SigningKeyRecord, 'createdAt' | 'active'>): Promise<SigningKeyRecord> {
    for (const row of this.rows) row.active = false;
    const row = { ...next, active: true, createdAt: new Date() };
    this.rows.push(row);
    return row;
  }
}

describe('HcxSigningKeys', () => {
  it('refreshes its active key once for all the deliveries that arrive while the refresh runs', async () => {
    const repository = new CountingSigningKeyRepository();
    const clock = new ManualClock();
    const keys = new HcxSigningKeys(repository, new KeyEncryption({ k1: randomBytes(32).toString('base64') }, 'k1'), clock, { instanceId: 'hcx-test', tokenLifetimeSeconds: 300 });
    await keys.init();
    const first = await keys.sign('participant-a');
    const readsAfterStart = repository.reads;

    clock.advance(61_000);
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => keys.sign(`participant-${i}`)));

    expect(repository.reads - readsAfterStart).toBe(1);
    expect(new Set(tokens.map((token) => decodeProtectedHeader(token).kid))).toEqual(new Set([decodeProtectedHeader(first).kid]));
  });
});
