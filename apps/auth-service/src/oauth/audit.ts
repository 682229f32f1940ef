import { AuthAuditRecordedV1 } from '@npi/kafka-contracts';
import type { PendingEvent } from '@npi/auth/data-access';

export interface RequestFacts {
  sourceIp: string | undefined;
  correlationId?: string;
}

/** An `auth.audit.recorded.v1` event: who, what, outcome, from where; never a secret or a token. */
export function auditEvent(
  facts: RequestFacts,
  fields: { action: string; outcome: 'success' | 'failure'; clientId?: string; username?: string; error?: string; detail?: string },
): PendingEvent {
  const data = {
    action: fields.action,
    outcome: fields.outcome,
    ...(fields.clientId ? { clientId: fields.clientId.slice(0, 128) } : {}),
    ...(fields.username ? { username: fields.username.slice(0, 128) } : {}),
    ...(facts.sourceIp ? { sourceIp: facts.sourceIp } : {}),
    ...(fields.error ? { error: fields.error } : {}),
    ...(fields.detail ? { detail: fields.detail.slice(0, 512) } : {}),
  };
  return { contract: AuthAuditRecordedV1, data, key: fields.clientId, correlationId: facts.correlationId };
}
