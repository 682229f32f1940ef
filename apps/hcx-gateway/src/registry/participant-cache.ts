import { Inject, Injectable } from '@nestjs/common';
import { PARTICIPANT_REPOSITORY } from '@npi/hcx/data-access';
import type { ParticipantRecord, ParticipantRepository } from '@npi/hcx/data-access';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { KEY_ENCRYPTION } from '../tokens';
import { clientSecretContext } from '../crypto/key-encryption';
import type { KeyEncryption } from '../crypto/key-encryption';
import { hmacKeyOf } from '../crypto/client-secret';

/** What the request path needs about a participant; the HMAC key lives only in memory, never logged. */
export interface CachedParticipant {
  participantCode: string;
  name: string;
  roles: readonly string[];
  status: ParticipantRecord['status'];
  endpointUrl: string;
  secretVersion: number;
  hmacKey: Uint8Array;
}

interface Entry {
  value: CachedParticipant | null;
  expiresAt: number;
}

/**
 * Per-replica cache of participants with their decrypted client_secret. Entries are dropped on
 * `hcx.participant.updated.v1` (every replica listens in its own consumer group), so a rotation or a
 * block takes effect everywhere; a TTL bounds staleness if an event were ever missed. A generation
 * counter stops a load that raced with an invalidation from putting the stale value back.
 */
@Injectable()
export class ParticipantCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private readonly loading = new Map<string, { generation: number; value: Promise<CachedParticipant | null> }>();
  private readonly ttlMs: number;

  constructor(
    @Inject(PARTICIPANT_REPOSITORY) private readonly repository: ParticipantRepository,
    @Inject(KEY_ENCRYPTION) private readonly keys: KeyEncryption,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: Pick<HcxGatewayConfig, 'HCX_PARTICIPANT_CACHE_TTL_MS'>,
  ) {
    this.ttlMs = config.HCX_PARTICIPANT_CACHE_TTL_MS;
  }

  async get(participantCode: string): Promise<CachedParticipant | null> {
    const now = this.clock.now().getTime();
    const cached = this.entries.get(participantCode);
    if (cached && cached.expiresAt > now) return cached.value;
    const generation = this.generations.get(participantCode) ?? 0;
    // Concurrent misses of one participant (every request and delivery of a busy one when its
    // entry expires) share one read and one decryption; after an invalidation a new read starts.
    const running = this.loading.get(participantCode);
    if (running && running.generation === generation) return running.value;
    const load = { generation, value: this.load(participantCode, generation, now) };
    this.loading.set(participantCode, load);
    const done = () => {
      if (this.loading.get(participantCode) === load) this.loading.delete(participantCode);
    };
    load.value.then(done, done);
    return load.value;
  }

  private async load(participantCode: string, generation: number, now: number): Promise<CachedParticipant | null> {
    const record = await this.repository.find(participantCode);
    const value = record ? this.toCached(record) : null;
    if ((this.generations.get(participantCode) ?? 0) === generation && this.ttlMs > 0) {
      // Unknown codes are cached briefly too (bounded) so a flood of bad `sub`s does not hit the DB each time.
      this.entries.set(participantCode, { value, expiresAt: now + (value ? this.ttlMs : Math.min(this.ttlMs, 5_000)) });
      if (this.entries.size > 100_000) this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }

  invalidate(participantCode: string): void {
    this.generations.set(participantCode, (this.generations.get(participantCode) ?? 0) + 1);
    this.entries.delete(participantCode);
  }

  private toCached(record: ParticipantRecord): CachedParticipant {
    return {
      participantCode: record.participantCode,
      name: record.name,
      roles: record.roles,
      status: record.status,
      endpointUrl: record.endpointUrl,
      secretVersion: record.secretVersion,
      hmacKey: hmacKeyOf(this.keys.decrypt(record.secretCiphertext, clientSecretContext(record.participantCode))),
    };
  }
}
