import { Inject, Injectable } from '@nestjs/common';
import { PaymentsBatchRejectedV1, PaymentsTransactionSettledV1 } from '@npi/kafka-contracts';
import { BATCH_REPOSITORY, MEMBER_REPOSITORY } from '@npi/payment/data-access';
import type { BatchRepository, CreditStatus, MemberRepository } from '@npi/payment/data-access';
import { outboxRowFor } from '../npi/outbox';
import type { CreditOutcome } from './settlement.port';

/**
 * Records the credit leg's outcome: each open transaction of an accepted batch moves to ACSC or
 * RJCT with `payments.transaction.settled.v1` in the same database transaction; a rejected credit
 * gives its amount back to the debit cap. Redelivery changes nothing (already final).
 */
@Injectable()
export class SettlementService {
  constructor(
    @Inject(MEMBER_REPOSITORY) private readonly members: MemberRepository,
    @Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository,
  ) {}

  async recordOutcome(memberCode: string, batchId: string, outcomes: (instructionId: string) => CreditOutcome): Promise<number> {
    const member = await this.members.findByCode(memberCode);
    if (!member) return 0;
    const batch = await this.batches.findByBatchId(member.id, batchId, ['CIPS', 'NCHLIPS', 'BILLPAY']);
    if (!batch || batch.status !== 'ACCEPTED') return 0;
    return this.batches.settle(batch.id, (record) => {
      const statuses = new Map<bigint, { creditStatus: CreditStatus; responseCode: string; responseMessage: string }>();
      const events = record.transactions.map((transaction) => {
        const outcome = outcomes(transaction.instructionId);
        statuses.set(transaction.id, { creditStatus: outcome.creditStatus, responseCode: outcome.responseCode, responseMessage: outcome.responseMessage });
        return outboxRowFor(
          PaymentsTransactionSettledV1,
          { memberCode, batchId, instructionId: transaction.instructionId, amount: transaction.amount, creditStatus: outcome.creditStatus },
          { producer: 'payment-service', key: `${memberCode}:${batchId}` },
        );
      });
      return { statuses, events };
    });
  }

  /**
   * Reverses an accepted batch (the debit leg was undone at the bank): status REVERSED, every
   * transaction RJCT, the whole reservation back on the cap, `payments.batch.rejected.v1`, atomically.
   * Answers false when there is no accepted batch with that id (already reversed, or never accepted).
   */
  async reverse(memberCode: string, batchId: string, reason: string): Promise<boolean> {
    const member = await this.members.findByCode(memberCode);
    if (!member) return false;
    const batch = await this.batches.findByBatchId(member.id, batchId, ['CIPS', 'NCHLIPS', 'BILLPAY']);
    if (!batch || batch.status !== 'ACCEPTED') return false;
    const event = outboxRowFor(
      PaymentsBatchRejectedV1,
      { memberCode, batchId, kind: batch.kind, debtorAgent: batch.debtorAgent, batchAmount: batch.batchAmount, transactionCount: batch.batchCount, responseCode: 'RVSD', reason: reason.slice(0, 256) },
      { producer: 'payment-service', key: `${memberCode}:${batchId}` },
    );
    return this.batches.reverse(batch.id, [event]);
  }
}
