import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PaymentsBatchAcceptedV1, PaymentsBatchRejectedV1, PaymentsBillpayCompletedV1 } from '@npi/kafka-contracts';
import {
  BANK_REPOSITORY,
  BATCH_REPOSITORY,
  DEBIT_CAP_REPOSITORY,
  MEMBER_REPOSITORY,
  PAYMENT_CONTEXT_REPOSITORY,
  WHITELIST_REPOSITORY,
} from '@npi/payment/data-access';
import type {
  BankRepository,
  BatchDecision,
  BatchKind,
  BatchRepository,
  DebitCapRepository,
  Member,
  MemberRepository,
  MemberCertificate,
  OutboxEventRow,
  PaymentContext,
  PaymentContextRepository,
  RecordedBatchIds,
  WhitelistRepository,
} from '@npi/payment/data-access';
import { outboxRowFor } from '../npi/outbox';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { amountToPaisa, buildNonRealTimeTokenString, buildRealTimeTokenString, isSignatureTokenError, paisaToAmount } from '@npi/signature-token';
import type { Verifier } from '@npi/signature-token';
import { DuplicateBatchError, InvalidAccountError, TokenSignatureInvalidError, ValidationFailedError } from '../domain/errors';
import { actsFor } from '../domain/principal';
import type { MemberPrincipal } from '../domain/principal';
import { settlementSessionAt } from '../domain/settlement-session';
import type { SettlementCalendar } from '../domain/settlement-session';
import { NpiResponseSigner } from '../npi/signing';
import { MEMBER_TOKEN_VERIFIER, NPI_SIGNER, SETTLEMENT_CALENDAR } from '../tokens';
import { DirectoryService } from '../registry/directory.service';
import { batchIdOf } from '../npi/nchl-body.pipe';
import { toParsedBatch } from './batch-request';
import type { NchlNonRealTimeBatchDto, NchlNonRealTimeBatchPosted, NchlRealTimeBatchDto, NchlRealTimeBatchPosted } from './batch-request';
import type { ParsedBatch } from './batch-request';

export interface NpiAnswer {
  httpStatus: number;
  body: object;
}

/** What a Billers confirm adds to a batch: the bill, the event the session waits for, and NCHL's confirm answer. */
export interface BillpayContext {
  participantCode: string;
  sessionId: string;
  instructionId: string;
  amount: string;
  /** The biller's app: its charge slabs price the payment. */
  appId: string | null;
  /** The accepted answer in `confirmbillerpay.do`'s shape (built once the ids are drawn). */
  presentAccepted(accepted: AcceptedBatch): object;
}

/** A `PaymentContextRepository` read made before parsing, keyed by what the body posted. */
export type PrefetchedPaymentContext = PaymentContext & { batchId: string; debtorAgent: unknown; debtorAccount: unknown };

/** What a caller may add to `BatchesService.submit`. */
export interface SubmitOptions {
  /** Present for a Billers confirm: the bill it pays. */
  billpay?: BillpayContext;
  /** What the caller already read for this request; used only when read for this batch id and debtor account. */
  prefetched?: PrefetchedPaymentContext;
}

/** An accepted batch as the answer builders see it: NPI's ids, the charges, the time. */
export interface AcceptedBatch {
  batchRowId: bigint;
  transactionIds: readonly bigint[];
  charges: readonly string[];
  creditStatus: string;
  at: Date;
}

/**
 * The rules of the transaction APIs (seed 001 sections 7.3 and 7.4), in order: a valid body (E007,
 * checked by the controller's NCHL body pipe before the service runs), a member behind the access token and a `token` that verifies with one of its
 * certificates over NCHL's token string with the OAuth username as userId (E003), the batch id not
 * used before (99; the same request again gets its first answer), known banks (E004), then the
 * debtor account whitelist and the debit cap. Whitelist and cap refusals are recorded (with
 * `payments.batch.rejected.v1`) so a retry gets the same answer; an accepted batch is recorded with
 * its cap reservation and `payments.batch.accepted.v1` in one database transaction.
 */
@Injectable()
export class BatchesService {
  constructor(
    @Inject(MEMBER_REPOSITORY) private readonly members: MemberRepository,
    @Inject(BANK_REPOSITORY) private readonly banks: BankRepository,
    @Inject(WHITELIST_REPOSITORY) private readonly whitelist: WhitelistRepository,
    @Inject(DEBIT_CAP_REPOSITORY) private readonly caps: DebitCapRepository,
    @Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository,
    @Inject(MEMBER_TOKEN_VERIFIER) private readonly verifier: Verifier,
    @Inject(NPI_SIGNER) private readonly signer: NpiResponseSigner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTLEMENT_CALENDAR) private readonly calendar: SettlementCalendar,
    private readonly directory: DirectoryService,
    @Inject(PAYMENT_CONTEXT_REPOSITORY) private readonly contexts: PaymentContextRepository,
  ) {}

  /**
   * `POST /api/postcipsbatch` (real time, one transaction). `body` is the validated body (NchlRealTimeBatchDto);
   * `posted` the same body as posted, whose values the token string is built from.
   */
  async postRealTime(principal: MemberPrincipal, body: NchlRealTimeBatchDto, posted: NchlRealTimeBatchPosted): Promise<NpiAnswer> {
    const parse = () => toParsedBatch(body.cipsBatchDetail, body.cipsTransactionDetailList, 'cipsBatchDetail', 'cipsTransactionDetailList', body.token);
    return this.post(principal, 'CIPS', posted, 'cipsBatchDetail', parse, () => buildRealTimeTokenString(posted as never, principal.subject));
  }

  /** `POST /api/postnchlipsbatch` (non-real time, up to 10,000 transactions, accepted or refused whole). */
  async postNonRealTime(principal: MemberPrincipal, body: NchlNonRealTimeBatchDto, posted: NchlNonRealTimeBatchPosted): Promise<NpiAnswer> {
    const parse = () => toParsedBatch(body.nchlIpsBatchDetail, body.nchlIpsTransactionDetailList, 'nchlIpsBatchDetail', 'nchlIpsTransactionDetailList', body.token);
    return this.post(principal, 'NCHLIPS', posted, 'nchlIpsBatchDetail', parse, () => buildNonRealTimeTokenString(posted as never, principal.subject));
  }

  /**
   * In this order: the member (E003), the body's batch, its token string (E007), the signature (E003),
   * then the batch rules. Everything the rules read comes from one round trip made first, keyed by
   * the posted batch (`PaymentContextRepository`).
   */
  private async post(principal: MemberPrincipal, kind: BatchKind, posted: object, batchKey: string, parse: () => ParsedBatch, buildTokenString: () => string): Promise<NpiAnswer> {
    const postedBatchId = batchIdOf(posted, batchKey);
    const postedBatch = (posted as Record<string, Record<string, unknown> | undefined>)[batchKey];
    const context = await this.contexts.read({
      userId: principal.subject,
      batchId: postedBatchId ?? '',
      debtorAgent: typeof postedBatch?.['debtorAgent'] === 'string' ? postedBatch['debtorAgent'] : '',
      debtorAccount: typeof postedBatch?.['debtorAccount'] === 'string' ? postedBatch['debtorAccount'] : '',
      at: this.clock.now(),
    });
    const member = this.actingMember(context.member, principal, postedBatchId);
    const request = parse();
    const tokenString = this.tokenString(buildTokenString, request.batchId);
    this.verifyWith(context.certificates, tokenString, request.token, request.batchId);
    return this.submit(member, principal, kind, request, tokenString, {
      prefetched: { ...context, batchId: postedBatchId ?? '', debtorAgent: postedBatch?.['debtorAgent'], debtorAccount: postedBatch?.['debtorAccount'] },
    });
  }

  /** The member behind the access token: its username is NCHL's userId, its client must match if linked. */
  async memberOf(principal: MemberPrincipal, batchId: string | undefined): Promise<Member> {
    return this.actingMember(await this.members.findByUserId(principal.subject), principal, batchId);
  }

  private actingMember(member: Member | null, principal: MemberPrincipal, batchId: string | undefined): Member {
    if (!actsFor(member, principal)) {
      // No member means no certificate to verify the token with: E003 (without saying which part failed).
      throw new TokenSignatureInvalidError('token cannot be verified for this user', batchId);
    }
    return member;
  }

  tokenString(build: () => string, batchId: string): string {
    try {
      return build();
    } catch (error) {
      if (isSignatureTokenError(error)) {
        throw new ValidationFailedError('technical validation failed', batchId, [{ field: (error as { field?: string }).field ?? '(body)', message: error.message }]);
      }
      throw error;
    }
  }

  /** seed 001 section 7.4: SHA256withRSA over the token string, by any of the member's live certificates. */
  async verifySignature(member: Member, tokenString: string, token: string, batchId: string): Promise<void> {
    this.verifyWith(await this.members.activeCertificates(member.id, this.clock.now()), tokenString, token, batchId);
  }

  private verifyWith(certificates: readonly MemberCertificate[], tokenString: string, token: string, batchId: string): void {
    for (const certificate of certificates) {
      try {
        this.verifier.verify(tokenString, token, certificate.certificatePem);
        return;
      } catch (error) {
        if (!isSignatureTokenError(error)) throw error;
      }
    }
    throw new TokenSignatureInvalidError('invalid token: the signature does not verify', batchId);
  }

  /**
   * The batch rules and the recording. `options.prefetched` is used only when it was read for this
   * batch id and debtor account; otherwise each part is read here.
   */
  async submit(member: Member, principal: MemberPrincipal, kind: BatchKind, request: ParsedBatch, tokenString: string, options: SubmitOptions = {}): Promise<NpiAnswer> {
    const { billpay } = options;
    const requestHash = createHash('sha256').update(`${kind}\n${tokenString}`).digest('hex');
    const given = options.prefetched;
    const prefetched = given && given.batchId === request.batchId && given.debtorAgent === request.debtorAgent && given.debtorAccount === request.debtorAccount ? given : undefined;
    const previous = prefetched ? prefetched.previousAnswer : await this.batches.findAnswer(member.id, request.batchId);
    if (previous) return this.signed(kind, request.batchId, this.replayOrDuplicate(previous, requestHash, request.batchId));

    this.checkTotals(kind, request);
    await this.checkBanks(request, kind);
    // The charge of each transaction under its app's slabs (the fund-transfer app unless a bill names one).
    const charges = await Promise.all(request.transactions.map((t) => this.directory.chargeOf(billpay?.appId, t.amount)));

    const now = this.clock.now();
    const sessionId = settlementSessionAt(now, this.calendar);
    // seed 001 section 7.3: a bank debiting its own customer's account through its own channels
    // needs no whitelist entry; every other debit comes from one of the member's whitelisted accounts.
    const directCustomerDebit = member.kind === 'BANK' && member.bankId === request.debtorAgent;
    let refusal: { responseCode: string; responseMessage: string } | null = null;
    const whitelisted = directCustomerDebit || (prefetched ? prefetched.whitelisted : (await this.whitelist.findActive(member.id, request.debtorAgent, request.debtorAccount, now)) !== null);
    if (!directCustomerDebit && !whitelisted) {
      refusal = { responseCode: 'E007', responseMessage: 'not authorized: debtor account is not whitelisted for this member' };
    }
    const cap = prefetched ? prefetched.cap : await this.caps.find(member.id, request.debtorAgent);
    if (!refusal && !cap && !directCustomerDebit) {
      refusal = { responseCode: 'E007', responseMessage: 'not authorized: no debit cap is set for this member at the debtor bank' };
    }
    if (!refusal && cap?.perTransactionLimit) {
      const limit = amountToPaisa(cap.perTransactionLimit);
      if (request.transactions.some((t) => amountToPaisa(t.amount) > limit)) {
        refusal = { responseCode: 'E007', responseMessage: `not authorized: a transaction exceeds the per-transaction limit of ${cap.perTransactionLimit}` };
      }
    }

    const correlation = { producer: 'payment-service', key: `${member.code}:${request.batchId}` };
    const summary = {
      memberCode: member.code,
      batchId: request.batchId,
      kind,
      debtorAgent: request.debtorAgent,
      batchAmount: request.batchAmount,
      transactionCount: request.transactions.length,
    };
    const decide = (ids: RecordedBatchIds): BatchDecision => {
      const accepted = !refusal && ids.reserved !== false;
      if (!accepted) {
        const reason = refusal ?? { responseCode: 'E007', responseMessage: 'not authorized: debit cap exceeded for this settlement session' };
        const events: OutboxEventRow[] = [outboxRowFor(PaymentsBatchRejectedV1, { ...summary, responseCode: reason.responseCode, reason: reason.responseMessage }, correlation)];
        if (billpay) events.push(outboxRowFor(PaymentsBillpayCompletedV1, { ...billpayEvent(billpay, request.batchId), status: 'FAILED', responseCode: reason.responseCode }, correlation));
        return {
          status: 'REJECTED',
          responseCode: reason.responseCode,
          responseMessage: reason.responseMessage,
          debitStatus: null,
          creditStatus: null,
          transactionResponseCode: reason.responseCode,
          transactionResponseMessage: reason.responseMessage,
          httpStatus: 400,
          responseBody: { responseCode: reason.responseCode, responseDescription: reason.responseMessage, fieldErrors: [] },
          events,
        };
      }
      // Real time and Billers: debited and sent for credit (stored ACSP); non-real time: accepted for
      // the deferred credit leg (ACTC). Settlement moves both to ACSC or RJCT. A real-time answer says
      // NCHL's `DEFER` (credit deferred; a member treats it as success and reads the final status
      // from the reports), the non-real-time one NCHL-IPS's `ACTC`.
      const creditStatus = kind === 'NCHLIPS' ? 'ACTC' : 'ACSP';
      const answeredCreditStatus = kind === 'NCHLIPS' ? 'ACTC' : 'DEFER';
      const answer = {
        cipsBatchResponse: { responseCode: '000', responseMessage: 'SUCCESS', batchId: request.batchId, debitStatus: '000', id: Number(ids.batchRowId) },
        cipsTxnResponseList: request.transactions.map((t, index) => ({
          responseCode: '000',
          responseMessage: 'SUCCESS',
          id: Number(ids.transactionIds[index]),
          instructionId: t.instructionId,
          creditStatus: answeredCreditStatus,
        })),
      };
      const events: OutboxEventRow[] = [outboxRowFor(PaymentsBatchAcceptedV1, { ...summary, settlementSessionId: sessionId }, correlation)];
      if (billpay) events.push(outboxRowFor(PaymentsBillpayCompletedV1, { ...billpayEvent(billpay, request.batchId), status: 'SUCCESS', responseCode: '000' }, correlation));
      return {
        status: 'ACCEPTED',
        responseCode: '000',
        responseMessage: 'SUCCESS',
        debitStatus: '000',
        creditStatus,
        transactionResponseCode: '000',
        transactionResponseMessage: 'SUCCESS',
        httpStatus: 200,
        responseBody: billpay
          ? billpay.presentAccepted({ ...ids, charges: charges.map((c) => c.chargeAmount), creditStatus: answeredCreditStatus, at: now })
          : answer,
        events,
      };
    };

    const result = await this.batches.record(
      {
        memberId: member.id,
        batchId: request.batchId,
        kind,
        debtorAgent: request.debtorAgent,
        debtorBranch: request.debtorBranch,
        debtorAccount: request.debtorAccount,
        debtorName: request.debtorName,
        batchAmount: request.batchAmount,
        batchCurrency: request.currency,
        categoryPurpose: request.categoryPurpose,
        requestHash,
        userId: principal.subject,
        transactions: request.transactions.map((t, index) => ({ ...t, chargeAmount: charges[index].chargeAmount, appId: charges[index].appId })),
        reservation: cap ? { capId: cap.id, sessionId, amount: request.batchAmount } : null,
        refusal,
      },
      decide,
    );
    if (result.kind === 'duplicate') return this.signed(kind, request.batchId, this.replayOrDuplicate(result.existing, requestHash, request.batchId));
    return this.signed(kind, request.batchId, { httpStatus: result.httpStatus, body: result.responseBody });
  }

  /**
   * NPI's `token` over an answer, added once the decision is made (answers are recorded unsigned;
   * SHA256withRSA PKCS#1 v1.5 is deterministic, so a replay gets the same token under the same
   * key). An accepted answer is signed over its financial fields, a refusal as `batchId,responseCode,`;
   * a Billers confirm answer has no `token` field (its signature is the X-NPI-Token header). An
   * answer recorded with its token keeps it.
   */
  private async signed(kind: BatchKind, batchId: string, answer: NpiAnswer): Promise<NpiAnswer> {
    const body = answer.body as Record<string, unknown>;
    if ('token' in body) return answer;
    if (answer.httpStatus === 200) {
      return kind === 'BILLPAY' ? answer : { ...answer, body: { ...body, token: await this.signer.signAnswer(body as never) } };
    }
    const token = this.signer.signRefusal(batchId, String(body['responseCode']));
    return token ? { ...answer, body: { ...body, token } } : answer;
  }

  private replayOrDuplicate(previous: { requestHash: string; httpStatus: number; responseBody: object }, requestHash: string, batchId: string): NpiAnswer {
    // The same signed request retried (a lost answer) gets the first answer; anything else under
    // that batchId is NCHL's 99 and changes nothing.
    if (previous.requestHash === requestHash) return { httpStatus: previous.httpStatus, body: previous.responseBody };
    throw new DuplicateBatchError('duplicate batch: this batchId was already used', batchId);
  }

  private checkTotals(kind: BatchKind, request: ParsedBatch): void {
    const errors = [];
    if (request.batchCount !== request.transactions.length) {
      errors.push({ field: 'batchCount', message: `batchCount is ${request.batchCount} but the batch has ${request.transactions.length} transactions` });
    }
    const total = request.transactions.reduce((sum, t) => sum + amountToPaisa(t.amount), 0n);
    if (total !== amountToPaisa(request.batchAmount)) {
      errors.push({ field: 'batchAmount', message: `batchAmount ${request.batchAmount} is not the sum of the transactions (${paisaToAmount(total)})` });
    }
    if (request.transactions.some((t) => amountToPaisa(t.amount) <= 0n)) errors.push({ field: 'amount', message: 'every amount must be positive' });
    const instructionIds = new Set(request.transactions.map((t) => t.instructionId));
    if (instructionIds.size !== request.transactions.length) errors.push({ field: 'instructionId', message: 'instructionIds must be unique within a batch' });
    if (kind === 'CIPS' && request.transactions.length !== 1) errors.push({ field: 'cipsTransactionDetailList', message: 'exactly one transaction' });
    if (errors.length > 0) throw new ValidationFailedError('technical validation failed', request.batchId, errors);
  }

  /** Banks and branches change rarely (seeded lists): read at most once a minute per process. */
  private bankIndex?: { at: number; index: Promise<Map<string, Set<string>>> };
  private branchIndex(): Promise<Map<string, Set<string>>> {
    const now = this.clock.now().getTime();
    if (!this.bankIndex || now - this.bankIndex.at > 60_000) {
      const index = this.banks.branchIndex();
      index.catch(() => (this.bankIndex = undefined));
      this.bankIndex = { at: now, index };
    }
    return this.bankIndex.index;
  }

  private async checkBanks(request: ParsedBatch, kind: BatchKind): Promise<void> {
    const index = await this.branchIndex();
    if (!index.get(request.debtorAgent)?.has(request.debtorBranch) && !(await this.banks.branchExists(request.debtorAgent, request.debtorBranch))) {
      throw new InvalidAccountError('invalid account: unknown debtor bank or branch', request.batchId, [{ field: 'debtorAgent', message: 'unknown bank or branch' }]);
    }
    // A bill's creditor is the biller behind NPI Billers: its account is not the member's to name.
    if (kind === 'BILLPAY') return;
    const unknown = request.transactions.findIndex((t) => !index.has(t.creditorAgent));
    if (unknown >= 0) {
      throw new InvalidAccountError('invalid account: unknown creditor bank', request.batchId, [{ field: `transactions[${unknown}].creditorAgent`, message: 'unknown bank' }]);
    }
  }
}

function billpayEvent(billpay: BillpayContext, batchId: string) {
  return { participantCode: billpay.participantCode, sessionId: billpay.sessionId, batchId, instructionId: billpay.instructionId, amount: billpay.amount };
}
