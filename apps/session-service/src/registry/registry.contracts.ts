import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { isMappableField } from '../page/npi-object';
import { DEMO_BILLERS } from './demo-billers';

/** Request shapes of the admin API: they validate (ZodBodyPipe) and document (OpenAPI) at once. */
export const participantCodeRule = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, _ or -');
export const billerCodeRule = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/);

export const participantInput = z
  .object({
    name: z.string().min(1).max(140),
    status: z.enum(['ACTIVE', 'SUSPENDED']).default('ACTIVE'),
    /** Only RSA signature algorithms; docs/architecture.md: PS256 by default, RS256 only when registered. */
    allowedAlgorithms: z.array(z.enum(['PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'])).min(1).max(6).default(['PS256']),
    hostOrigins: z.array(z.string().max(255)).min(1).max(20),
    channels: z.array(z.enum(['web', 'mob'])).min(1).max(2),
    enabledBillers: z.array(billerCodeRule).max(500).default([]),
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
export type ParticipantFields = z.output<typeof participantInput>;
export type BillerFields = z.output<typeof billerInput>;

export class HostParticipantInputDto extends createZodDto(participantInput) {}
export class BillerInputDto extends createZodDto(billerInput) {}


/** Answer shapes of the admin API. */
export const hostParticipantView = z.object({
  code: z.string(),
  name: z.string(),
  status: z.enum(['ACTIVE', 'SUSPENDED']),
  allowedAlgorithms: z.array(z.string()),
  hostOrigins: z.array(z.string()),
  channels: z.array(z.enum(['web', 'mob'])),
  enabledBillers: z.array(z.string()),
  keys: z.array(z.object({ kid: z.string(), use: z.enum(['sig', 'enc']), publicKey: z.string().describe('SPKI PEM') })),
});
export const billerView = billerInput.extend({ code: z.string() });

export class HostParticipantViewDto extends createZodDto(hostParticipantView) {}
export class BillerViewDto extends createZodDto(billerView) {}

const PEM_EXAMPLE = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...\n-----END PUBLIC KEY-----\n';

export const HOST_PARTICIPANT_EXAMPLE = {
  code: 'bankx',
  name: 'Bank X (host app)',
  status: 'ACTIVE',
  allowedAlgorithms: ['PS256'],
  hostOrigins: ['https://app.bankx.com.np'],
  channels: ['web', 'mob'],
  enabledBillers: ['NTC-PREPAID'],
  keys: [
    { kid: 'bankx-sig-2026', use: 'sig', publicKey: PEM_EXAMPLE },
    { kid: 'bankx-enc-2026', use: 'enc', publicKey: PEM_EXAMPLE },
  ],
};

export const BILLER_EXAMPLE = { code: 'NTC-PREPAID', ...DEMO_BILLERS['NTC-PREPAID'], enabled: true };
