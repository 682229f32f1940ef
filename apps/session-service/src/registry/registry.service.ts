import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { importPublicKey, isEnvelopeError } from '@npi/jose-envelope';
import { BILLER_STORE, PARTICIPANT_STORE } from '@npi/session/data-access';
import type { BillerRecord, BillerStore, ParticipantRecord, ParticipantStore } from '@npi/session/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { RegistryError } from '../errors';
import { normaliseOrigin } from '../origins';
import { isMappableField } from '../page/npi-object';

const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, _ or -');
const billerCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/);

export const participantInput = z
  .object({
    name: z.string().min(1).max(140),
    status: z.enum(['ACTIVE', 'SUSPENDED']).default('ACTIVE'),
    /** Only RSA signature algorithms; ARCHITECTURE.md: PS256 by default, RS256 only when registered. */
    allowedAlgorithms: z.array(z.enum(['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'])).min(1).max(6).default(['PS256']),
    hostOrigins: z.array(z.string().max(255)).min(1).max(20),
    channels: z.array(z.enum(['web', 'mob'])).min(1).max(2),
    enabledBillers: z.array(billerCode).max(500).default([]),
    keys: z
      .array(z.object({ kid: z.string().min(1).max(128), use: z.enum(['sig', 'enc']), publicKey: z.union([z.string().max(16_384), z.record(z.unknown())]) }).strict())
      .min(2)
      .max(10),
  })
  .strict();

const formField = z
  .object({
    fieldName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/),
    label: z.string().min(1).max(80),
    labelNe: z.string().min(1).max(80),
    mapField: z.string().refine(isMappableField, 'must be an npiObject field (amount, refId, endToEndId, remarks, addenda1-4, freeText1-7, particulars)'),
    pattern: z.string().min(2).max(200).refine((p) => p.startsWith('^') && p.endsWith('$'), 'must be anchored (^...$)'),
    required: z.boolean().default(true),
    kind: z.enum(['text', 'amount', 'tel']).default('text'),
  })
  .strict();

export const billerInput = z
  .object({
    name: z.string().min(1).max(140),
    nameNe: z.string().min(1).max(140),
    group: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/),
    icon: z.string().min(1).max(16),
    form: z.array(formField).min(1).max(20),
    creditor: z
      .object({
        creditorAgent: z.string().min(1).max(16),
        creditorBranch: z.string().min(1).max(16),
        creditorAccount: z.string().min(1).max(64),
        creditorName: z.string().min(1).max(140),
        appId: z.string().min(1).max(64),
        categoryPurpose: z.string().min(1).max(4).default('ECPG'),
      })
      .strict(),
    enabled: z.boolean().default(true),
  })
  .strict();

export type ParticipantInput = z.input<typeof participantInput>;
export type BillerInput = z.input<typeof billerInput>;

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RegistryError('ERR_VALIDATION', result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return result.data as z.infer<T>;
}

/** Participant registry and biller catalogue administration (issue #4): everything validated on entry. */
@Injectable()
export class RegistryService {
  constructor(
    @Inject(PARTICIPANT_STORE) private readonly participants: ParticipantStore,
    @Inject(BILLER_STORE) private readonly billers: BillerStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async putParticipant(participantCode: string, body: unknown): Promise<ParticipantRecord> {
    parse(code, participantCode);
    const input = parse(participantInput, body);
    const origins = input.hostOrigins.map((origin) => {
      const normalised = normaliseOrigin(origin);
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

  async putBiller(code: string, body: unknown): Promise<BillerRecord> {
    parse(billerCode, code);
    const input = parse(billerInput, body);
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
