import type { BillerRecord, BillerRepository, ParticipantRecord, HostParticipantRepository } from '@npi/session/data-access';
import type { Clock } from '@npi/service-runtime';

/**
 * Read-through caches of the registry for the launch path (two fewer database round trips per
 * launch). Writes through this replica invalidate at once; other replicas see a change within
 * `ttlMs` (SESSION_REGISTRY_CACHE_MS, default 5 s; 0 disables). A suspension therefore takes effect
 * everywhere within that bound — the trade-off is documented in the README.
 */
export class CachedHostParticipantRepository implements HostParticipantRepository {
  private readonly entries = new Map<string, { value: ParticipantRecord | undefined; until: number }>();
  constructor(
    private readonly inner: HostParticipantRepository,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async upsert(participant: ParticipantRecord, now: Date): Promise<void> {
    await this.inner.upsert(participant, now);
    this.entries.delete(participant.code);
  }

  async find(code: string): Promise<ParticipantRecord | undefined> {
    if (this.ttlMs <= 0) return this.inner.find(code);
    const now = this.clock.now().getTime();
    const hit = this.entries.get(code);
    if (hit && hit.until > now) return hit.value;
    const value = await this.inner.find(code);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(code, { value, until: now + this.ttlMs });
    return value;
  }

  list(): Promise<ParticipantRecord[]> {
    return this.inner.list();
  }
}

export class CachedBillerRepository implements BillerRepository {
  private all?: { value: BillerRecord[]; until: number };
  constructor(
    private readonly inner: BillerRepository,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async upsert(biller: BillerRecord): Promise<void> {
    await this.inner.upsert(biller);
    this.all = undefined;
  }

  find(code: string): Promise<BillerRecord | undefined> {
    return this.inner.find(code);
  }

  async list(): Promise<BillerRecord[]> {
    if (this.ttlMs <= 0) return this.inner.list();
    const now = this.clock.now().getTime();
    if (this.all && this.all.until > now) return this.all.value;
    const value = await this.inner.list();
    this.all = { value, until: now + this.ttlMs };
    return value;
  }
}
