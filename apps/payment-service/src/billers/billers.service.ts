import { Inject, Injectable } from '@nestjs/common';
import { PREPARED_BILL_REPOSITORY } from '@npi/payment/data-access';
import type { PreparedBillRepository } from '@npi/payment/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { buildBillersConfirmTokenString } from '@npi/signature-token';
import { NotAuthorizedError, ValidationFailedError } from '../domain/errors';
import { batchIdOf } from '../npi/nchl-body.pipe';
import type { MemberPrincipal } from '../domain/principal';
import { toParsedBatch } from '../batches/batch-request';
import { BatchesService } from '../batches/batches.service';
import type { NpiAnswer } from '../batches/batches.service';
import { billerConfirmAnswer } from './confirm-answer';
import type { NchlBillerConfirmDto, NchlBillerConfirmPosted } from './billers.contracts';

/**
 * `POST /api/npibiller/confirmbillerpay.do`: the host's backend confirms a bill the user authorised
 * (docs/npi-reference.md "NPI Billers v2"). Only a bill that a live session prepared may be confirmed, once,
 * for exactly its amount; then the usual rules (signature, whitelist, cap) apply and the outcome goes
 * to the session as `payments.billpay.completed.v1` in the same transaction.
 */
@Injectable()
export class BillersService {
  constructor(
    private readonly batches: BatchesService,
    @Inject(PREPARED_BILL_REPOSITORY) private readonly bills: PreparedBillRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `body`: the validated body (NchlBillerConfirmDto); `posted`: the same body as posted, whose values the token string is built from. */
  async confirm(principal: MemberPrincipal, body: NchlBillerConfirmDto, posted: NchlBillerConfirmPosted): Promise<NpiAnswer> {
    const member = await this.batches.memberOf(principal, batchIdOf(posted, 'cipsBatchDetail'));
    const { cipsBatchDetail: batch, cipsTransactionDetail: bill, token } = body;
    const tokenString = this.batches.tokenString(() => buildBillersConfirmTokenString(posted as never, principal.subject), batch.batchId);
    await this.batches.verifySignature(member, tokenString, token, batch.batchId);

    const prepared = await this.bills.find(member.code, batch.batchId);
    const request = toParsedBatch(
      { ...batch, batchCount: 1, categoryPurpose: batch.categoryPurpose ?? null },
      [{
        instructionId: bill.instructionId, endToEndId: bill.endToEndId, amount: bill.amount, purpose: null,
        creditorAgent: bill.creditorAgent || prepared?.creditorAgent || '', creditorBranch: bill.creditorBranch || prepared?.creditorBranch || '',
        creditorName: bill.creditorName ?? null, creditorAccount: bill.creditorAccount || prepared?.creditorAccount || prepared?.billerCode || '',
      }] as never,
      'cipsBatchDetail',
      'cipsTransactionDetail',
      token,
    );
    // Only a bill prepared by a live session of this participant, for this amount and these ids.
    if (!prepared) throw new NotAuthorizedError('not authorized: no bill was prepared for this batchId by an NPI Billers session', batch.batchId);
    if (prepared.expiresAt.getTime() <= this.clock.now().getTime()) throw new NotAuthorizedError('not authorized: the NPI Billers session of this bill has expired', batch.batchId);
    const mismatch = [
      prepared.instructionId !== bill.instructionId && 'instructionId',
      prepared.amount !== request.transactions[0].amount && 'amount',
      prepared.appId !== null && prepared.appId !== bill.appId && 'appId',
      prepared.refId !== null && prepared.refId !== bill.refId && 'refId',
      prepared.endToEndId !== null && prepared.endToEndId !== bill.endToEndId && 'endToEndId',
    ].filter((field): field is string => typeof field === 'string');
    if (mismatch.length > 0) {
      throw new ValidationFailedError('technical validation failed: the confirmation does not match the prepared bill', batch.batchId, mismatch.map((field) => ({ field: `cipsTransactionDetail.${field}`, message: 'differs from the prepared bill' })));
    }
    const appId = bill.appId || prepared.appId;
    const refId = bill.refId || prepared.refId;
    const answer = await this.batches.submit(member, principal, 'BILLPAY', request, tokenString, {
      billpay: {
        participantCode: prepared.participantCode,
        sessionId: prepared.sessionId,
        instructionId: prepared.instructionId,
        amount: prepared.amount,
        appId,
        presentAccepted: (accepted) => billerConfirmAnswer({ request, batchEcho: batch, transactionEcho: bill, bill: { appId, refId }, userId: principal.subject, accepted }),
      },
    });
    await this.bills.markConfirmed(prepared.participantCode, prepared.batchId, this.clock.now());
    return answer;
  }
}
