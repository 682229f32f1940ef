import type { EventContract } from './contract';
import { AuthAuditRecordedV1 } from './auth/audit-recorded.v1';
import { AuthClientUpdatedV1 } from './auth/client-updated.v1';
import { AuthTokenRevokedV1 } from './auth/token-revoked.v1';
import { BillersBillPreparedV1 } from './billers/bill-prepared.v1';
import { HcxParticipantUpdatedV1 } from './hcx/participant-updated.v1';
import { HcxRequestRoutedV1 } from './hcx/request-routed.v1';
import { PaymentsBatchAcceptedV1, PaymentsBatchRejectedV1, PaymentsTransactionSettledV1 } from './payments/batch-events.v1';
import { PaymentsBillpayCompletedV1 } from './payments/billpay-completed.v1';
import { PaymentsDirectoryChangedV1 } from './payments/directory-changed.v1';

/** Every event contract, so a consumer can be wired by topic name alone (`@EventPattern(topic)`). */
export const ALL_CONTRACTS: readonly EventContract<unknown>[] = [
  AuthAuditRecordedV1,
  AuthClientUpdatedV1,
  AuthTokenRevokedV1,
  BillersBillPreparedV1,
  HcxParticipantUpdatedV1,
  HcxRequestRoutedV1,
  PaymentsBatchAcceptedV1,
  PaymentsBatchRejectedV1,
  PaymentsTransactionSettledV1,
  PaymentsBillpayCompletedV1,
  PaymentsDirectoryChangedV1,
] as readonly EventContract<unknown>[];

const byTopic = new Map(ALL_CONTRACTS.map((contract) => [contract.topic, contract]));

/** The contract of a topic; undefined for a topic that has none (dead-letter topics). */
export function contractOf(topic: string): EventContract<unknown> | undefined {
  return byTopic.get(topic);
}
