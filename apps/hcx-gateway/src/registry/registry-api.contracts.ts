import { createZodDto } from '@npi/api-contracts';
import { participantCreateSchema, participantDeleteSchema, participantSearchSchema, participantUpdateSchema } from './registry-spec';

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
