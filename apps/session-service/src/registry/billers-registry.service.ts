import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { importPublicKey, isEnvelopeError } from '@npi/jose-envelope';
import { BILLER_REPOSITORY, HOST_PARTICIPANT_REPOSITORY } from '@npi/session/data-access';
import type { BillerRecord, BillerRepository, ParticipantRecord, HostParticipantRepository } from '@npi/session/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { RegistryError } from '../errors';
import { canonicalOrigin } from '@npi/auth-guards';
import { billerCodeRule, participantCodeRule } from './registry.contracts';
import type { BillerFields, ParticipantFields } from './registry.contracts';

/** The `:code` path parameter (bodies are checked by ZodBodyPipe before they get here). */
function checkCode(rule: z.ZodTypeAny, value: string): void {
  const result = rule.safeParse(value);
  if (!result.success) throw new RegistryError('ERR_VALIDATION', `code: ${result.error.issues.map((i) => i.message).join('; ')}`);
}

/** Participant registry and biller catalogue administration: everything validated on entry. */
@Injectable()
export class BillersRegistryService {
  constructor(
    @Inject(HOST_PARTICIPANT_REPOSITORY) private readonly participants: HostParticipantRepository,
    @Inject(BILLER_REPOSITORY) private readonly billers: BillerRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `input` was validated against `participantInput` at the edge (ZodBodyPipe). */
  async putParticipant(participantCode: string, input: ParticipantFields): Promise<ParticipantRecord> {
    checkCode(participantCodeRule, participantCode);
    const origins = input.hostOrigins.map((origin) => {
      const normalised = canonicalOrigin(origin);
      if (!normalised) throw new RegistryError('ERR_VALIDATION', 'hostOrigins: each must be an exact http(s) origin (scheme://host[:port]), no path, no wildcard');
      return normalised;
    });
    const kids = new Set(input.keys.map((k) => k.kid));
    if (kids.size !== input.keys.length) throw new RegistryError('ERR_VALIDATION', 'keys: kids must be unique');
    if (!input.keys.some((k) => k.use === 'sig') || !input.keys.some((k) => k.use === 'enc')) {
      throw new RegistryError('ERR_VALIDATION', 'keys: at least one "sig" and one "enc" key are required');
    }
    const now = this.clock.now();
    const keys = input.keys.map((entry, index) => {
      let pem: string;
      try {
        // seed 000 section 3.2: RSA, at least 2048 bits; certificates and JWKs are stored as SPKI PEM.
        pem = importPublicKey(entry.publicKey as string).export({ type: 'spki', format: 'pem' }).toString();
      } catch (error) {
        if (isEnvelopeError(error) && error.code === 'ERR_KEY_TOO_SMALL') throw new RegistryError('ERR_KEY_TOO_SMALL', `key ${index}: RSA keys must be at least 2048 bits`);
        throw new RegistryError('ERR_KEY_INVALID', `key ${index}: not an RSA public key, certificate or public JWK`);
      }
      // Listed order is rotation order: the last "enc" key listed is the one npiObjects are sealed for.
      return { kid: entry.kid, use: entry.use === 'sig' ? ('SIG' as const) : ('ENC' as const), publicKeyPem: pem, createdAt: new Date(now.getTime() + index) };
    });
    const record: ParticipantRecord = {
      code: participantCode,
      name: input.name,
      status: input.status,
      allowedAlgorithms: [...new Set(input.allowedAlgorithms)],
      hostOrigins: [...new Set(origins)],
      channels: [...new Set(input.channels)],
      enabledBillers: [...new Set(input.enabledBillers)],
      keys,
    };
    await this.participants.upsert(record, now);
    return record;
  }

  async getParticipant(participantCode: string): Promise<ParticipantRecord> {
    const found = await this.participants.find(participantCode);
    if (!found) throw new RegistryError('ERR_NOT_FOUND', 'participant not found');
    return found;
  }

  listParticipants(): Promise<ParticipantRecord[]> {
    return this.participants.list();
  }

  /** `input` was validated against `billerInput` at the edge (ZodBodyPipe). */
  async putBiller(code: string, input: BillerFields): Promise<BillerRecord> {
    checkCode(billerCodeRule, code);
    for (const field of input.form) {
      try {
        new RegExp(field.pattern);
      } catch {
        throw new RegistryError('ERR_VALIDATION', `form.${field.fieldName}.pattern: not a valid regular expression`);
      }
    }
    if (input.form.filter((f) => f.mapField === 'amount').length !== 1) throw new RegistryError('ERR_VALIDATION', 'form: exactly one field must map to "amount"');
    const record: BillerRecord = { code, ...input, form: input.form.map((f) => ({ ...f })), creditor: { ...input.creditor } };
    await this.billers.upsert(record);
    return record;
  }

  listBillers(): Promise<BillerRecord[]> {
    return this.billers.list();
  }
}
