import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import type { HcxPrincipal } from '../api-keys/hcx-principal';
import { HcxError, forbidden } from '../errors';
import type { HcxRegistrySearchRequestDto } from './registry-api.contracts';
import { SELF_EDITABLE, normaliseRole, profileOf, searchFiltersOf, specViewOf, toStoredStatus } from './registry-spec';
import type { CertificateUrls, ParticipantCreateRequest, ParticipantUpdateRequest } from './registry-spec';
import { HCX_ADMIN_ROLE, ParticipantRegistryService } from './participant-registry.service';

const PEM = /^\s*-----BEGIN CERTIFICATE-----/;

/** Where a participant's certificates are served (stable URLs; the content follows uploads). */
export function certificateUrlsOf(baseUrl: string, participantCode: string): CertificateUrls {
  const base = `${baseUrl.replace(/\/$/, '')}/certificates/${encodeURIComponent(participantCode)}`;
  return { encryption: `${base}/encryption_cert.pem`, signing: `${base}/signing_cert.pem` };
}

/**
 * The HCX registry API (openapi_hcx_registry.yml) over the registry rules. Who may do what:
 * the operator (admin token) and participants holding the HCX admin role `HIE/HIO.HCX` create,
 * update and delete any participant; a participant updates only its own endpoint_url and
 * certificates; every Active participant reads and searches (contacts and payment details only
 * of itself).
 */
@Injectable()
export class RegistryApiService {
  constructor(
    @Inject(ParticipantRegistryService) private readonly registry: ParticipantRegistryService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<HcxGatewayConfig, 'HCX_INSTANCE_ID'>,
  ) {}

  async create(principal: HcxPrincipal, input: ParticipantCreateRequest): Promise<{ participant_code: string }> {
    this.requireHcxAdmin(principal, 'create participants');
    const encryptionCert = this.uploadedPem(input.encryption_cert, 'encryption_cert');
    const signingCert = input.signing_cert_path === undefined ? encryptionCert : this.uploadedPem(input.signing_cert_path, 'signing_cert_path');
    for (let attempt = 0; ; attempt += 1) {
      try {
        const created = await this.registry.create({
          participant_code: this.newParticipantCode(),
          participant_name: input.participant_name,
          roles: input.roles.map(normaliseRole),
          primary_email: input.primaryEmail,
          primary_mobile: input.primaryMobile ?? null,
          endpoint_url: input.endpoint_url,
          encryption_cert: encryptionCert,
          signing_cert: signingCert,
          status: input.status === undefined ? undefined : toStoredStatus(input.status),
          profile: profileOf(input),
        });
        return { participant_code: created.participant.participant_code };
      } catch (error) {
        // A generated code that collides (2^-40) gets another one.
        if (error instanceof HcxError && error.code === 'ERR_PARTICIPANT_EXISTS' && attempt < 3) continue;
        throw error;
      }
    }
  }

  async read(principal: HcxPrincipal, participantCode: string, baseUrl: string): Promise<Record<string, unknown>> {
    const record = await this.registry.find(participantCode);
    if (!record) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found');
    return specViewOf(record, certificateUrlsOf(baseUrl, record.participantCode), this.seesAll(principal, record.participantCode));
  }

  async search(principal: HcxPrincipal, request: HcxRegistrySearchRequestDto, baseUrl: string): Promise<{ timestamp: string; participants: Record<string, unknown>[] }> {
    const records = await this.registry.query({ filters: searchFiltersOf(request.filters), limit: request.limit, offset: request.offset });
    return {
      timestamp: String(this.clock.now().getTime()),
      participants: records.map((record) => specViewOf(record, certificateUrlsOf(baseUrl, record.participantCode), this.seesAll(principal, record.participantCode))),
    };
  }

  async update(principal: HcxPrincipal, input: ParticipantUpdateRequest, baseUrl: string): Promise<{ timestamp: string; participant_code: string }> {
    const code = input.participant_code;
    if (!this.isHcxAdmin(principal)) {
      if (principal.kind !== 'participant' || principal.participantCode !== code) throw forbidden('only the HCX admin or the participant itself may update a participant');
      const other = Object.keys(input).filter((key) => !(SELF_EDITABLE as readonly string[]).includes(key));
      if (other.length > 0) throw forbidden(`a participant may update only ${SELF_EDITABLE.slice(1).join(', ')} of itself (not ${other.join(', ')})`);
    }
    const current = await this.registry.find(code);
    if (!current) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found');
    const urls = certificateUrlsOf(baseUrl, code);
    await this.registry.updateRecord(code, {
      participant_name: input.participant_name,
      roles: input.roles?.map(normaliseRole),
      primary_email: input.primaryEmail,
      primary_mobile: input.primaryMobile,
      endpoint_url: input.endpoint_url,
      encryption_cert: this.certificateChange(input.encryption_cert, 'encryption_cert', urls.encryption),
      signing_cert: this.certificateChange(input.signing_cert_path, 'signing_cert_path', urls.signing),
      status: input.status === undefined ? undefined : toStoredStatus(input.status),
      profile: profileOf(input, current.profile),
    });
    return { timestamp: String(this.clock.now().getTime()), participant_code: code };
  }

  /** Soft delete (HCX registry): status InActive; its API keys stop working at once on every replica. */
  async delete(principal: HcxPrincipal, participantCode: string): Promise<{ timestamp: string; participant_code: string }> {
    this.requireHcxAdmin(principal, 'delete participants');
    await this.registry.setStatus(participantCode, 'Inactive');
    return { timestamp: String(this.clock.now().getTime()), participant_code: participantCode };
  }

  private isHcxAdmin(principal: HcxPrincipal): boolean {
    return principal.kind === 'operator' || principal.participant.roles.includes(HCX_ADMIN_ROLE);
  }

  private requireHcxAdmin(principal: HcxPrincipal, what: string): void {
    if (!this.isHcxAdmin(principal)) throw forbidden(`only the HCX admin (role ${HCX_ADMIN_ROLE}) may ${what}`);
  }

  private seesAll(principal: HcxPrincipal, participantCode: string): boolean {
    return this.isHcxAdmin(principal) || (principal.kind === 'participant' && principal.participantCode === participantCode);
  }

  private uploadedPem(value: string, field: string): string {
    if (!PEM.test(value)) throw new HcxError('ERR_INVALID_CERTIFICATE', `${field} must be uploaded as a PEM X.509 certificate; the gateway serves it at a URL`);
    return value;
  }

  /** PEM = upload a new certificate; the gateway's own URL for it = unchanged (a read-modify-write round trip). */
  private certificateChange(value: string | undefined, field: string, ownUrl: string): string | undefined {
    if (value === undefined || value === ownUrl) return undefined;
    return this.uploadedPem(value, field);
  }

  private newParticipantCode(): string {
    const domain = this.config.HCX_INSTANCE_ID.replace(/[^A-Za-z0-9.-]/g, '').slice(0, 64) || 'hcx';
    return `${randomBytes(5).toString('hex')}@${domain}`;
  }
}
