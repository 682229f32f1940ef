import { z } from 'zod';
import { FILTER_OPERATORS, PARTICIPANT_SEARCH_FIELDS } from '@npi/hcx/data-access';
import type { FilterOperator, ParticipantFilter, ParticipantProfile, ParticipantRecord, ParticipantStatus } from '@npi/hcx/data-access';
import { HcxError } from '../errors';

/**
 * The HCX participant registry document's shapes (openapi_hcx_registry.yml) and their mapping to
 * the stored participant. Spec spellings are kept as the document has them (`primaryEmail`,
 * `primaryMobile`, `signing_cert_path`, `status` as a list, `InActive`).
 */
export const SPEC_STATUSES = ['Created', 'Active', 'InActive', 'Blocked'] as const;
export type SpecStatus = (typeof SPEC_STATUSES)[number];

export const toStoredStatus = (status: SpecStatus): ParticipantStatus => (status === 'InActive' ? 'Inactive' : status);
export const toSpecStatus = (status: ParticipantStatus): SpecStatus => (status === 'Inactive' ? 'InActive' : status);

/** The document's role list; `payor` (the spelling of the document's own examples and of this registry) is the same role as `payer`. */
export const SPEC_ROLES = ['provider', 'payer', 'payor', 'agency.tpa', 'agency.regulator', 'research', 'member.isnp', 'agency.sponsor', 'HIE/HIO.HCX'] as const;
export const normaliseRole = (role: string) => (role === 'payer' ? 'payor' : role);

const noNul = (value: string) => !value.includes('\u0000');
const text = (max: number) => z.string().min(1).max(max).refine(noNul, 'must not contain NUL');
const smallObject = z
  .record(z.unknown())
  .refine((value) => JSON.stringify(value).length <= 4096, 'at most 4096 characters of JSON')
  .refine((value) => !JSON.stringify(value).includes('\\u0000'), 'must not contain NUL');
const status = z.union([z.enum(SPEC_STATUSES), z.array(z.enum(SPEC_STATUSES)).length(1)]).transform((value) => (Array.isArray(value) ? value[0] : value));

const profileFields = {
  linked_registry_codes: z.array(z.string().max(256).regex(/^.+@[a-z]+$/, 'identifier@registry')).max(20).optional(),
  scheme_code: text(128).optional(),
  address: smallObject.optional(),
  additionalEmail: z.array(z.string().email().max(256)).max(3).optional(),
  phone: z.array(text(32)).max(3).optional(),
  additionalMobile: z.array(z.string().regex(/^\+?[0-9 ]{6,20}$/)).max(3).optional(),
  payment_details: smallObject.optional(),
};
const PROFILE_KEYS = Object.keys(profileFields) as (keyof typeof profileFields)[];

const editableFields = {
  participant_name: text(256),
  roles: z.array(z.enum(SPEC_ROLES)).min(1).max(10),
  primaryEmail: z.string().email().max(256),
  primaryMobile: z.string().regex(/^\+?[0-9 ]{6,20}$/).optional(),
  endpoint_url: text(2048),
  encryption_cert: text(16_384),
  signing_cert_path: text(16_384),
  status,
  ...profileFields,
};

export const participantCreateSchema = z
  .object({ ...editableFields, signing_cert_path: editableFields.signing_cert_path.optional(), status: status.optional(), primaryMobile: editableFields.primaryMobile })
  .strict();
export type ParticipantCreateRequest = z.infer<typeof participantCreateSchema>;

const participantCode = z.string().regex(/^[A-Za-z0-9._@:-]{3,128}$/, 'participant_code: 3-128 of A-Z a-z 0-9 . _ @ : -');
export const participantUpdateSchema = z
  .object({ participant_code: participantCode, ...Object.fromEntries(Object.entries(editableFields).map(([key, schema]) => [key, schema.optional()])) })
  .strict() as z.ZodType<ParticipantUpdateRequest, z.ZodTypeDef, unknown>;
export type ParticipantUpdateRequest = { participant_code: string } & Partial<ParticipantCreateRequest>;

export const participantDeleteSchema = z.object({ participant_code: participantCode }).strict();

/** Fields a participant may change on its own record (without the HCX admin role). */
export const SELF_EDITABLE = ['participant_code', 'endpoint_url', 'encryption_cert', 'signing_cert_path'] as const;

const OPERATOR_ALIASES: Record<string, FilterOperator> = { '=': 'eq', '!=': 'neq', between: 'range', '>': 'gt', '<': 'lt', '>=': 'gte', '<=': 'lte' };
const searchValue = z.union([z.string().max(256).refine(noNul, 'must not contain NUL'), z.number(), z.boolean()]).transform(String);

export const participantSearchSchema = z
  .object({
    filters: z.record(z.record(z.union([searchValue, z.array(searchValue).min(1).max(50)]))).default({}),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();

/** `{"roles": {"eq": "provider"}, "payment_details.ifsc_code": {"eq": "X"}}` → ANDed filters over known fields only. */
export function searchFiltersOf(filters: Record<string, Record<string, string | string[]>>): ParticipantFilter[] {
  const out: ParticipantFilter[] = [];
  for (const [field, operations] of Object.entries(filters)) {
    const known = (PARTICIPANT_SEARCH_FIELDS as readonly string[]).includes(field) || /^(address|payment_details)\.[A-Za-z0-9_]{1,64}$/.test(field);
    if (!known) throw new HcxError('ERR_INVALID_REQUEST', `filters: unsupported field ${field.slice(0, 64)}`);
    const entries = Object.entries(operations);
    if (entries.length === 0) throw new HcxError('ERR_INVALID_REQUEST', `filters.${field}: no operator`);
    for (const [name, raw] of entries) {
      const operator = OPERATOR_ALIASES[name] ?? name;
      if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) throw new HcxError('ERR_INVALID_REQUEST', `filters.${field}: unsupported operator ${name.slice(0, 32)}`);
      if (operator === 'range' && (!Array.isArray(raw) || raw.length !== 2)) throw new HcxError('ERR_INVALID_REQUEST', `filters.${field}.${name}: [low, high] expected`);
      if (operator !== 'range' && operator !== 'or' && Array.isArray(raw)) throw new HcxError('ERR_INVALID_REQUEST', `filters.${field}.${name}: one value expected`);
      const mapValue = (value: string) => (field === 'status' && value === 'InActive' ? 'Inactive' : field === 'roles' ? normaliseRole(value) : value);
      out.push({ field: field as ParticipantFilter['field'], operator: operator as FilterOperator, value: Array.isArray(raw) ? raw.map(mapValue) : mapValue(raw) });
    }
  }
  return out;
}

export function profileOf(input: Partial<ParticipantCreateRequest>, base: ParticipantProfile = {}): ParticipantProfile {
  const profile: ParticipantProfile = { ...base };
  for (const key of PROFILE_KEYS) if (input[key] !== undefined) profile[key] = input[key];
  return profile;
}

export interface CertificateUrls {
  encryption: string;
  signing: string;
}

/** ParticipantReadResponse. Contacts and payment details only for the HCX admin and the participant itself. */
export function specViewOf(record: ParticipantRecord, urls: CertificateUrls, full: boolean): Record<string, unknown> {
  const profile = record.profile ?? {};
  const view: Record<string, unknown> = {
    participant_code: record.participantCode,
    participant_name: record.name,
    roles: record.roles,
    status: [toSpecStatus(record.status)],
    endpoint_url: record.endpointUrl,
    encryption_cert: urls.encryption,
    signing_cert_path: urls.signing,
  };
  for (const key of ['scheme_code', 'linked_registry_codes', 'address'] as const) if (profile[key] !== undefined) view[key] = profile[key];
  if (!full) return view;
  view.primaryEmail = record.primaryEmail;
  if (record.primaryMobile) view.primaryMobile = record.primaryMobile;
  for (const key of ['additionalEmail', 'additionalMobile', 'phone', 'payment_details'] as const) if (profile[key] !== undefined) view[key] = profile[key];
  return view;
}
