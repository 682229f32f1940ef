import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** OpenAPI schemas of the protocol APIs as served (names and shapes of the HCX protocol document). */
const error: SchemaObject = {
  type: 'object',
  properties: { code: { type: 'string', description: 'HCX error code (ERR_...)' }, message: { type: 'string' }, trace: { type: 'string' } },
};
const detail: SchemaObject = { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, trace: { type: 'string' } } };

export const PROTOCOL_SCHEMAS = {
  JWEPayload: {
    type: 'object',
    required: ['payload'],
    properties: { payload: { type: 'string', description: 'JWE compact serialisation (RSA-OAEP or RSA-OAEP-256, A256GCM); the protected header carries the x-hcx-* headers' } },
  } as SchemaObject,
  ProtocolResponse: {
    type: 'object',
    description: 'plain-JSON x-hcx-* headers (on_* only: response.error or response.redirect)',
    required: ['x-hcx-sender_code', 'x-hcx-recipient_code', 'x-hcx-api_call_id', 'x-hcx-correlation_id', 'x-hcx-timestamp'],
    properties: {
      'x-hcx-sender_code': { type: 'string' },
      'x-hcx-recipient_code': { type: 'string' },
      'x-hcx-api_call_id': { type: 'string', format: 'uuid' },
      'x-hcx-correlation_id': { type: 'string', format: 'uuid' },
      'x-hcx-workflow_id': { type: 'string', format: 'uuid' },
      'x-hcx-timestamp': { type: 'string' },
      'x-hcx-debug_flag': { type: 'string', enum: ['Error', 'Info', 'Debug'] },
      'x-hcx-status': { type: 'string', enum: ['request.queued', 'request.dispatched', 'response.complete', 'response.error', 'response.partial', 'response.redirect'] },
      'x-hcx-redirect_to': { type: 'string' },
      'x-hcx-error_details': detail,
      'x-hcx-debug_details': { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, trace: { type: 'string' } } },
    },
  } as SchemaObject,
  SuccessResponse: {
    type: 'object',
    required: ['timestamp', 'api_call_id', 'correlation_id'],
    properties: { timestamp: { type: 'string', example: '1629057611000' }, api_call_id: { type: 'string', format: 'uuid' }, correlation_id: { type: 'string', format: 'uuid' } },
  } as SchemaObject,
  StatusSuccessResponse: {
    type: 'object',
    required: ['timestamp', 'api_call_id', 'correlation_id'],
    properties: {
      timestamp: { type: 'string', example: '1629057611000' },
      api_call_id: { type: 'string', format: 'uuid' },
      correlation_id: { type: 'string', format: 'uuid' },
      result: {
        type: 'object',
        properties: {
          sender_code: { type: 'string' },
          recipient_code: { type: 'string' },
          entity_type: { type: 'string', enum: ['coverageeligibility', 'predetermination', 'preauth', 'claim', 'paymentnotice', 'communication'] },
          protocol_status: { type: 'string', enum: ['request.queued', 'request.dispatched'] },
        },
      },
    },
  } as SchemaObject,
  ErrorResponse: {
    type: 'object',
    required: ['error', 'timestamp', 'api_call_id', 'correlation_id'],
    properties: { timestamp: { type: 'string', example: '1629057611000' }, api_call_id: { type: 'string' }, correlation_id: { type: 'string' }, error },
  } as SchemaObject,
};
