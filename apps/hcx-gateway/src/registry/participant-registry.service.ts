import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_RELAY, outboxRow } from '@npi/database';
import type { OutboxRelay } from '@npi/database';
import { PARTICIPANT_REPOSITORY, SECRET_DELIVERY_REPOSITORY } from '@npi/hcx/data-access';
import type { ParticipantChanges, ParticipantProfile, ParticipantQuery, SecretDeliveryRepository, ParticipantRecord, ParticipantRepository, ParticipantStatus } from '@npi/hcx/data-access';
import { HcxParticipantUpdatedV1 } from '@npi/kafka-contracts';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import type { SecretDeliveryWorker } from '../secret-delivery/secret-delivery.worker';
import { KEY_ENCRYPTION, PARTICIPANT_CACHE, PRODUCER, SECRET_DELIVERY_WORKER } from '../tokens';
import { generateClientSecret } from '../crypto/client-secret';
import { clientSecretContext } from '../crypto/key-encryption';
import type { KeyEncryption } from '../crypto/key-encryption';
import { validateRsaCertificate } from '../crypto/certificates';
import { HcxError } from '../errors';
import type { ParticipantCache } from './participant-cache';

export const PARTICIPANT_ROLES = ['provider', 'payor', 'agency.tpa', 'agency.regulator', 'research', 'member.isnp', 'agency.sponsor', 'HIE/HIO.HCX'] as const;
/** The HCX instance's own administrators: may create, update and delete any participant through the registry API. */
export const HCX_ADMIN_ROLE = 'HIE/HIO.HCX';

export interface ParticipantInput {
  participant_code: string;
  participant_name: string;
  roles: string[];
  primary_email: string;
  primary_mobile?: string | null;
  endpoint_url: string;
  encryption_cert: string;
  signing_cert: string;
  status?: ParticipantStatus;
  profile?: ParticipantProfile;
}

/** The registry view: never the secret, its ciphertext or its KEK id (seed 002). */
export interface ParticipantView {
  participant_code: string;
  participant_name: string;
  roles: string[];
  status: ParticipantStatus;
  endpoint_url: string;
  encryption_cert: string;
  signing_cert: string;
  primary_email?: string;
  primary_mobile?: string | null;
  created_at?: string;
  updated_at?: string;
}

export function viewOf(record: ParticipantRecord, full: boolean): ParticipantView {
  const view: ParticipantView = {
    participant_code: record.participantCode,
    participant_name: record.name,
    roles: record.roles,
    status: record.status,
    endpoint_url: record.endpointUrl,
    encryption_cert: record.encryptionCert,
    signing_cert: record.signingCert,
  };
  if (!full) return view;
  return { ...view, primary_email: record.primaryEmail, primary_mobile: record.primaryMobile, created_at: record.createdAt.toISOString(), updated_at: record.updatedAt.toISOString() };
}

type Change = 'created' | 'updated' | 'status_changed' | 'secret_rotated';

/** Participant registry rules: validation on entry, the secret's life cycle, cache invalidation on every replica. */
@Injectable()
export class ParticipantRegistryService {
  /** http endpoints only outside production (local participants, the standalone demo). */
  private readonly requireHttpsEndpoints: boolean;

  constructor(
    @Inject(PARTICIPANT_REPOSITORY) private readonly repository: ParticipantRepository,
    @Inject(KEY_ENCRYPTION) private readonly keys: KeyEncryption,
    @Inject(PARTICIPANT_CACHE) private readonly cache: ParticipantCache,
    /** Woken after a new secret's delivery row is committed; null when no notifier is configured (the rows wait). */
    @Inject(SECRET_DELIVERY_WORKER) private readonly deliveryWorker: Pick<SecretDeliveryWorker, 'nudge'> | null,
    @Inject(OUTBOX_RELAY) private readonly outbox: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SECRET_DELIVERY_REPOSITORY) private readonly deliveries: SecretDeliveryRepository,
    @Inject(SERVICE_CONFIG) config: Pick<HcxGatewayConfig, 'NODE_ENV'>,
  ) {
    this.requireHttpsEndpoints = config.NODE_ENV === 'production';
  }

  async create(input: ParticipantInput): Promise<{ participant: ParticipantView; client_secret: string }> {
    const now = this.clock.now();
    const clientSecret = generateClientSecret();
    const sealed = this.keys.encrypt(clientSecret, clientSecretContext(input.participant_code));
    const result = await this.repository.create(
      {
        participantCode: input.participant_code,
        name: input.participant_name,
        roles: this.roles(input.roles),
        status: input.status ?? 'Created',
        primaryEmail: input.primary_email,
        primaryMobile: input.primary_mobile ?? null,
        endpointUrl: this.endpoint(input.endpoint_url),
        encryptionCert: validateRsaCertificate(input.encryption_cert, 'encryption_cert', now, 'encryption'),
        signingCert: validateRsaCertificate(input.signing_cert, 'signing_cert', now, 'signing'),
        secretCiphertext: sealed.ciphertext,
        secretKekId: sealed.kid,
        profile: input.profile ?? {},
      },
      (record) => this.event(record, 'created'),
    );
    if (result === 'exists') throw new HcxError('ERR_PARTICIPANT_EXISTS', 'participant_code is already registered');
    this.published(result.participantCode);
    this.secretIssued();
    // In-process callers only (standalone demo, bench); the HTTP answers never carry it.
    return { participant: viewOf(result, true), client_secret: clientSecret };
  }

  async update(participantCode: string, input: Partial<Omit<ParticipantInput, 'participant_code' | 'status'>>): Promise<ParticipantView> {
    return viewOf(await this.updateRecord(participantCode, input), true);
  }

  async updateRecord(participantCode: string, input: Partial<Omit<ParticipantInput, 'participant_code'>>): Promise<ParticipantRecord> {
    const now = this.clock.now();
    const changes: ParticipantChanges = {
      name: input.participant_name,
      roles: input.roles === undefined ? undefined : this.roles(input.roles),
      primaryEmail: input.primary_email,
      primaryMobile: input.primary_mobile,
      endpointUrl: input.endpoint_url === undefined ? undefined : this.endpoint(input.endpoint_url),
      encryptionCert: input.encryption_cert === undefined ? undefined : validateRsaCertificate(input.encryption_cert, 'encryption_cert', now, 'encryption'),
      signingCert: input.signing_cert === undefined ? undefined : validateRsaCertificate(input.signing_cert, 'signing_cert', now, 'signing'),
      status: input.status,
      profile: input.profile,
    };
    return this.change(participantCode, changes, input.status === undefined ? 'updated' : 'status_changed');
  }

  async find(participantCode: string): Promise<ParticipantRecord | null> {
    return this.repository.find(participantCode);
  }

  async query(query: ParticipantQuery): Promise<ParticipantRecord[]> {
    return this.repository.query(query);
  }

  async setStatus(participantCode: string, status: ParticipantStatus): Promise<ParticipantView> {
    return viewOf(await this.change(participantCode, { status }, 'status_changed'), true);
  }

  /** Seed 002 "Revoking API Keys": a new client_secret invalidates every API key signed with the old one. */
  async rotateSecret(participantCode: string): Promise<{ participant_code: string; client_secret: string }> {
    const clientSecret = generateClientSecret();
    const sealed = this.keys.encrypt(clientSecret, clientSecretContext(participantCode));
    await this.change(participantCode, { secret: { ciphertext: sealed.ciphertext, kekId: sealed.kid } }, 'secret_rotated');
    this.secretIssued();
    // In-process callers only (standalone demo); the HTTP answers never carry it.
    return { participant_code: participantCode, client_secret: clientSecret };
  }

  /** An operator's re-send of the current secret through the delivery outbox. */
  async resendSecret(participantCode: string): Promise<void> {
    if (!(await this.deliveries.requestResend(participantCode))) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found');
    this.secretIssued();
  }

  async get(participantCode: string, full: boolean): Promise<ParticipantView> {
    const record = await this.repository.find(participantCode);
    if (!record) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found');
    return viewOf(record, full);
  }

  async search(filter: { participant_code?: string; role?: string; status?: ParticipantStatus; name?: string; limit?: number }, full: boolean): Promise<ParticipantView[]> {
    const records = await this.repository.search({
      participantCode: filter.participant_code,
      role: filter.role,
      status: filter.status,
      name: filter.name,
      limit: Math.min(filter.limit ?? 50, 200),
    });
    return records.map((record) => viewOf(record, full));
  }

  private async change(participantCode: string, changes: ParticipantChanges, change: Change): Promise<ParticipantRecord> {
    const record = await this.repository.update(participantCode, changes, (updated) => this.event(updated, change));
    if (!record) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found');
    this.published(participantCode);
    return record;
  }

  private secretIssued(): void {
    this.deliveryWorker?.nudge();
  }

  private event(record: ParticipantRecord, change: Change) {
    return outboxRow(
      HcxParticipantUpdatedV1,
      { participantCode: record.participantCode, change, status: record.status, secretVersion: record.secretVersion },
      { producer: PRODUCER, key: record.participantCode },
    );
  }

  /** This replica forgets at once; the others when the outbox event reaches them. */
  private published(participantCode: string): void {
    this.cache.invalidate(participantCode);
    this.outbox.nudge();
  }

  private roles(roles: string[]): string[] {
    // `payer` (the registry document's enum) and `payor` (its examples, and this registry) are one role.
    const normalised = roles.map((role) => (role === 'payer' ? 'payor' : role));
    const unknown = normalised.filter((role) => !(PARTICIPANT_ROLES as readonly string[]).includes(role));
    if (roles.length === 0 || unknown.length > 0) throw new HcxError('ERR_INVALID_REQUEST', `roles must be a non-empty subset of ${PARTICIPANT_ROLES.join(', ')}`);
    return [...new Set(normalised)];
  }

  private endpoint(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new HcxError('ERR_INVALID_REQUEST', 'endpoint_url must be an absolute URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !this.requireHttpsEndpoints)) {
      throw new HcxError('ERR_INVALID_REQUEST', 'endpoint_url must use https');
    }
    if (url.username || url.password || url.search || url.hash) throw new HcxError('ERR_INVALID_REQUEST', 'endpoint_url may not carry credentials, query or fragment');
    return url.toString().replace(/\/$/, '');
  }
}
