import { Inject, Injectable } from '@nestjs/common';
import { PaymentsTransactionSettledV1 } from '@npi/kafka-contracts';
import { BATCH_REPOSITORY, MEMBER_REGISTRY } from '@npi/payment/data-access';
import type { BatchRepository, CreditStatus, MemberRegistry } from '@npi/payment/data-access';
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
    @Inject(MEMBER_REGISTRY) private readonly members: MemberRegistry,
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
}
