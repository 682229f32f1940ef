import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { PREPARED_BILL_REPOSITORY } from '@npi/payment/data-access';
import type { PreparedBillRepository } from '@npi/payment/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { buildBillersConfirmTokenString } from '@npi/signature-token';
import { NotAuthorizedError, ValidationFailedError } from '../domain/errors';
import type { MemberPrincipal } from '../domain/principal';
import { batchIdOf, toParsedBatch } from '../batches/batch-request';
import { BatchesService } from '../batches/batches.service';
import type { NpiAnswer } from '../batches/batches.service';
import { billerConfirmAnswer } from './confirm-answer';

const text = (max: number) => z.string().trim().min(1).max(max);
const confirmSchema = z
  .object({
    cipsBatchDetail: z
      .object({
        batchId: text(20), batchAmount: z.union([z.number(), z.string()]), batchCount: z.coerce.number().int().default(1), batchCrncy: z.literal('NPR'),
        categoryPurpose: z.string().max(4).nullish(), debtorAgent: text(4), debtorBranch: text(4), debtorName: text(140), debtorAccount: text(20),
      })
      .passthrough(),
    cipsTransactionDetail: z
      .object({
        id: z.union([z.number(), z.string()]), instructionId: text(30), endToEndId: text(64), amount: z.union([z.number(), z.string()]),
        appId: text(64), refId: text(64), creditorAgent: z.string().max(16).nullish(), creditorBranch: z.string().max(16).nullish(),
        creditorName: z.string().max(140).nullish(), creditorAccount: z.string().max(64).nullish(),
      })
      .passthrough(),
    token: z.string().min(1),
  })
  .passthrough();

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

  async confirm(principal: MemberPrincipal, body: unknown): Promise<NpiAnswer> {
    const batchId = batchIdOf(body, 'cipsBatchDetail');
    const member = await this.batches.memberOf(principal, batchId);
    const parsed = confirmSchema.safeParse(body);
    if (!parsed.success) {
      throw new ValidationFailedError('technical validation failed', batchId, parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
    }
    const { cipsBatchDetail: batch, cipsTransactionDetail: bill, token } = parsed.data;
    const tokenString = this.batches.tokenString(() => buildBillersConfirmTokenString(body as never, principal.subject), batch.batchId);
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
      participantCode: prepared.participantCode,
      sessionId: prepared.sessionId,
      instructionId: prepared.instructionId,
      amount: prepared.amount,
      appId,
      presentAccepted: (accepted) => billerConfirmAnswer({ request, batchEcho: batch, transactionEcho: bill, bill: { appId, refId }, userId: principal.subject, accepted }),
    });
    await this.bills.markConfirmed(prepared.participantCode, prepared.batchId, this.clock.now());
    return answer;
  }
}
