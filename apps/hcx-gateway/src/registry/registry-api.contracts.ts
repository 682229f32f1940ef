import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { SPEC_ROLES, SPEC_STATUSES, participantCreateSchema, participantDeleteSchema, participantSearchSchema, participantUpdateSchema } from './registry-spec';

/** The HCX participant registry API's request bodies (openapi_hcx_registry.yml), from the schemas that validate them. */
export class HcxRegistryCreateRequestDto extends createZodDto(participantCreateSchema.describe('ParticipantCreateRequest')) {}
export class HcxRegistryUpdateRequestDto extends createZodDto(participantUpdateSchema.describe('ParticipantUpdateRequest: participant_code and the fields to change')) {}
export class HcxRegistrySearchRequestDto extends createZodDto(participantSearchSchema.describe('ParticipantSearchRequest: filters {field: {operator: value}} (ANDed), limit, offset')) {}
export class HcxRegistryDeleteRequestDto extends createZodDto(participantDeleteSchema.describe('The participant to deactivate')) {}

/** Request examples (the registry document's own spellings). */
export const REGISTRY_REQUEST_EXAMPLES = {
  create: {
    participant_name: 'Demo Hospital',
    roles: ['provider'],
    primaryEmail: 'hcx@hospital.example',
    primaryMobile: '+977 9800000000',
    endpoint_url: 'https://hospital.example/hcx',
    encryption_cert: '-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUb...\n-----END CERTIFICATE-----\n',
    scheme_code: 'default',
  },
  update: { participant_code: 'hosp01@hcx', endpoint_url: 'https://hospital.example/hcx/v2' },
  search: { filters: { roles: { eq: 'payor' }, status: { eq: 'Active' } }, limit: 10, offset: 0 },
  delete: { participant_code: 'hosp01@hcx' },
};

/** ParticipantReadResponse as `specViewOf` builds it: contacts and payment details only for the HCX admin and the participant itself. */
const certificateUrl = z.string().describe('URL of the certificate at this gateway (/certificates/{participant_code}/...)');
const participantView = z
  .object({
    participant_code: z.string(),
    participant_name: z.string(),
    roles: z.array(z.enum(SPEC_ROLES)),
    status: z.array(z.enum(SPEC_STATUSES)).length(1),
    endpoint_url: z.string(),
    encryption_cert: certificateUrl,
    signing_cert_path: certificateUrl,
    scheme_code: z.string().optional(),
    linked_registry_codes: z.array(z.string()).optional(),
    address: z.record(z.unknown()).optional(),
    primaryEmail: z.string().optional().describe('HCX admin and the participant itself only'),
    primaryMobile: z.string().optional().describe('HCX admin and the participant itself only'),
    additionalEmail: z.array(z.string()).optional().describe('HCX admin and the participant itself only'),
    additionalMobile: z.array(z.string()).optional().describe('HCX admin and the participant itself only'),
    phone: z.array(z.string()).optional().describe('HCX admin and the participant itself only'),
    payment_details: z.record(z.unknown()).optional().describe('HCX admin and the participant itself only'),
  })
  .strict();
const timestamp = z.string().describe('Unix milliseconds, as a string');

export class HcxRegistryParticipantDto extends createZodDto(participantView.describe('ParticipantReadResponse')) {}
export class HcxRegistrySearchResponseDto extends createZodDto(z.object({ timestamp, participants: z.array(participantView) }).strict().describe('ParticipantSearchResponse')) {}
export class HcxRegistryChangedDto extends createZodDto(z.object({ timestamp, participant_code: z.string() }).strict()) {}
export class HcxRegistryCreatedDto extends createZodDto(z.object({ participant_code: z.string().describe('generated: <name>@<instance>') }).strict()) {}

/** Answer examples (the registry document's own spellings). */
const participantExample = {
  participant_code: 'hosp01@hcx',
  participant_name: 'Demo Hospital',
  roles: ['provider'],
  primaryEmail: 'hcx@hospital.example',
  status: ['Active'],
  endpoint_url: 'https://hospital.example/hcx',
  encryption_cert: 'http://127.0.0.1:3004/certificates/hosp01@hcx/encryption_cert.pem',
  signing_cert_path: 'http://127.0.0.1:3004/certificates/hosp01@hcx/signing_cert.pem',
};
export const REGISTRY_ANSWER_EXAMPLES = {
  participant: participantExample,
  search: { timestamp: '1796544000000', participants: [participantExample] },
  changed: { timestamp: '1796544000000', participant_code: 'hosp01@hcx' },
  created: { participant_code: 'hosp01@hcx' },
};
