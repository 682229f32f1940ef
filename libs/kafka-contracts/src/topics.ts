/**
 * Every Kafka topic of the platform, in one place.
 * Names follow `<domain>.<entity>.<action>.v<N>` (docs/architecture.md, "Kafka").
 * A breaking change to an event is a new `.vN+1` topic; both live until no consumer reads the old.
 */
export const Topics = {
  authClientUpdated: 'auth.client.updated.v1',
  authTokenRevoked: 'auth.token.revoked.v1',
  authAuditRecorded: 'auth.audit.recorded.v1',
  billersBillPrepared: 'billers.bill.prepared.v1',
  paymentsBillpayCompleted: 'payments.billpay.completed.v1',
  paymentsBatchAccepted: 'payments.batch.accepted.v1',
  paymentsBatchRejected: 'payments.batch.rejected.v1',
  paymentsTransactionSettled: 'payments.transaction.settled.v1',
  paymentsDirectoryChanged: 'payments.directory.changed.v1',
  hcxParticipantUpdated: 'hcx.participant.updated.v1',
  hcxRequestRouted: 'hcx.request.routed.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Poison messages go to `<topic>.dlq` instead of stalling the consumer. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

export const CONTRACT_TOPICS: readonly TopicName[] = Object.values(Topics);

/**
 * Topics whose latest event per key is the entity's whole current state (key = clientId,
 * participantCode): compacted instead of deleted by age, so a replica started long after an
 * update still learns every client and participant by reading from the beginning.
 */
export const COMPACTED_TOPICS: readonly TopicName[] = [Topics.authClientUpdated, Topics.hcxParticipantUpdated];

/** Topic-level configuration the platform creates a topic with (besides partitions/replication). */
export function topicConfigOf(topic: string): Record<string, string> {
  return (COMPACTED_TOPICS as readonly string[]).includes(topic) ? { 'cleanup.policy': 'compact' } : {};
}

/** Every topic the platform needs created up front, dead-letter topics included. */
export const ALL_TOPICS: readonly string[] = [
  ...CONTRACT_TOPICS,
  ...CONTRACT_TOPICS.map(deadLetterTopicOf),
];
