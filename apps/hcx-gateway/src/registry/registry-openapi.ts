import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { SPEC_ROLES, SPEC_STATUSES } from './registry-spec';

/** OpenAPI schemas of the HCX registry API's answers as this gateway serves them (request bodies: registry-api.contracts.ts) (names and types of openapi_hcx_registry.yml). */
const participantProperties: Record<string, SchemaObject> = {
  linked_registry_codes: { type: 'array', items: { type: 'string', pattern: '^.+@[a-z]+$' } },
  participant_name: { type: 'string' },
  scheme_code: { type: 'string', default: 'default' },
  roles: { type: 'array', items: { type: 'string', enum: [...SPEC_ROLES] } },
  address: { type: 'object', additionalProperties: true },
  primaryEmail: { type: 'string', format: 'email' },
  additionalEmail: { type: 'array', items: { type: 'string', format: 'email' }, maxItems: 3 },
  phone: { type: 'array', items: { type: 'string' }, maxItems: 3 },
  primaryMobile: { type: 'string' },
  additionalMobile: { type: 'array', items: { type: 'string' }, maxItems: 3 },
  status: { type: 'array', items: { type: 'string', enum: [...SPEC_STATUSES], default: 'Created' } },
  signing_cert_path: { type: 'string', description: 'answers: URL of the certificate at this gateway; requests: PEM upload (or that URL = unchanged)' },
  encryption_cert: { type: 'string', description: 'answers: URL of the certificate at this gateway; requests: PEM upload (or that URL = unchanged)' },
  endpoint_url: { type: 'string', format: 'uri' },
  payment_details: { type: 'object', additionalProperties: true },
};

const participantCode: SchemaObject = { type: 'string', example: 'pcpt01@HCX01' };
const error: SchemaObject = { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, trace: { type: 'string' } } };

export const REGISTRY_SCHEMAS = {
  ParticipantReadResponse: {
    type: 'object',
    required: ['participant_code'],
    additionalProperties: false,
    properties: { participant_code: participantCode, ...participantProperties },
  } as SchemaObject,
  ParticipantSearchResponse: {
    type: 'object',
    required: ['timestamp', 'participants'],
    properties: {
      timestamp: { type: 'string', example: '1629057611000' },
      participants: { type: 'array', items: { type: 'object', required: ['participant_code'], additionalProperties: false, properties: { participant_code: participantCode, ...participantProperties } } },
    },
  } as SchemaObject,
  ParticipantChanged: {
    type: 'object',
    required: ['timestamp', 'participant_code'],
    properties: { timestamp: { type: 'string', example: '1629057611000' }, participant_code: participantCode },
  } as SchemaObject,
  ErrorResponse: {
    type: 'object',
    required: ['error', 'timestamp'],
    properties: { timestamp: { type: 'string', example: '1629057611000' }, api_call_id: { type: 'string' }, correlation_id: { type: 'string' }, error },
  } as SchemaObject,
};

/** Examples shown with the answers (the shapes above). */
export const REGISTRY_EXAMPLES = {
  participant: {
    participant_code: 'hosp01@hcx',
    participant_name: 'Demo Hospital',
    roles: ['provider'],
    primaryEmail: 'hcx@hospital.example',
    status: ['Active'],
    endpoint_url: 'https://hospital.example/hcx',
    encryption_cert: 'http://127.0.0.1:3004/certificates/hosp01@hcx/encryption_cert.pem',
    signing_cert_path: 'http://127.0.0.1:3004/certificates/hosp01@hcx/signing_cert.pem',
  },
};
