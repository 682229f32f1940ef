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
    ...(fields.clientId ? { clientId: storable(fields.clientId, 128) } : {}),
    ...(fields.username ? { username: storable(fields.username, 128) } : {}),
    ...(facts.sourceIp ? { sourceIp: facts.sourceIp } : {}),
    ...(fields.error ? { error: fields.error } : {}),
    ...(fields.detail ? { detail: storable(fields.detail, 512) } : {}),
  };
  return { contract: AuthAuditRecordedV1, data, key: fields.clientId, correlationId: facts.correlationId };
}

/** Text jsonb can hold: NUL and unpaired surrogates (which PostgreSQL refuses) become U+FFFD; cut at `max`. */
function storable(value: string, max: number): string {
  return value
    .slice(0, max)
    // eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
    .replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
