import type { NewApiCall } from './types';

/**
 * A new api_call as the snake_case record `jsonb_to_recordset` reads: the one mapping from the
 * domain shape to the table's columns, for acceptance and for notification fan-out alike.
 */
export function apiCallColumns(call: NewApiCall) {
  return {
    id: call.id,
    sender_code: call.senderCode,
    recipient_code: call.recipientCode,
    api_call_id: call.apiCallId,
    correlation_id: call.correlationId,
    workflow_id: call.workflowId,
    api_path: call.apiPath,
    hcx_status: call.hcxStatus,
    headers: call.headers,
    accepted_at: call.acceptedAt.toISOString(),
  };
}
