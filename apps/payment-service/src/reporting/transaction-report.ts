import type { BatchKind, BatchRecord, TransactionRecord } from '@npi/payment/data-access';
import { amountToPaisa, paisaToAmount } from '@npi/signature-token';
import { settlementSessionNumber } from '../domain/settlement-session';
import { amountNumber, nchlCreditor, nchlDate, nchlTimestamp } from '../npi/nchl-format';

export type ReportFamily = 'cips' | 'nchlips';

/**
 * What the reports say about a credit leg, in NCHL's codes: real-time (connectIPS) credits use the
 * POSTCIPS codes (`000` success, `DEFER` deferred to settlement, `1000` not credited because the
 * debit was refused), non-real-time credits the NCHL-IPS ones (`ACTC`, `ACSP`, `ACSC`, `RJCT`).
 */
export function presentedCredit(kind: BatchKind, batch: Pick<BatchRecord, 'status'>, t: Pick<TransactionRecord, 'creditStatus' | 'responseCode' | 'responseMessage'>): { creditStatus: string; reasonCode: string | null; reasonDesc: string } {
  if (batch.status === 'REJECTED' || t.creditStatus === null) return { creditStatus: '1000', reasonCode: null, reasonDesc: 'Debit Failure.' };
  if (t.creditStatus === 'RJCT') {
    // connectIPS reports a rejected credit with the creditor bank's ISO reason code (NCHL's Case II: "114"); other reasons: RJCT.
    const bankReason = kind !== 'NCHLIPS' && /^-?\d{2,4}$/.test(t.responseCode) && t.responseCode !== '000';
    return { creditStatus: bankReason ? t.responseCode : 'RJCT', reasonCode: t.responseCode, reasonDesc: t.responseMessage };
  }
  if (kind === 'NCHLIPS') {
    const descriptions = { ACTC: 'Accepted Technical Validation', ACSP: 'Accepted Settlement in Process', ACSC: '' } as const;
    return { creditStatus: t.creditStatus, reasonCode: null, reasonDesc: descriptions[t.creditStatus] };
  }
  return t.creditStatus === 'ACSC' ? { creditStatus: '000', reasonCode: null, reasonDesc: 'SUCCESS' } : { creditStatus: 'DEFER', reasonCode: null, reasonDesc: 'Deferred Credit Payment' };
}

function debitOf(batch: BatchRecord): { debitStatus: string; debitReasonDesc: string } {
  if (batch.status === 'REJECTED') return { debitStatus: batch.debitStatus ?? batch.responseCode, debitReasonDesc: batch.responseMessage };
  return { debitStatus: batch.debitStatus ?? '000', debitReasonDesc: 'SUCCESS' };
}

/** The batch part of a report (`cipsBatchDetail` / `nchlIpsBatchDetail`), keys as in NCHL's samples. */
export function batchReport(family: ReportFamily, batch: BatchRecord, timeZone: string) {
  const charge = batch.transactions.reduce((sum, t) => sum + amountToPaisa(t.chargeAmount), 0n);
  const { debitStatus, debitReasonDesc } = debitOf(batch);
  const session = batch.settlementSessionId;
  return {
    id: Number(batch.id),
    batchId: batch.batchId,
    recDate: nchlDate(batch.createdAt, timeZone),
    isoTxnId: null,
    batchAmount: amountNumber(batch.batchAmount),
    batchCount: batch.batchCount,
    batchChargeAmount: amountNumber(paisaToAmount(charge)),
    batchCrncy: batch.batchCurrency,
    categoryPurpose: batch.categoryPurpose,
    debtorAgent: batch.debtorAgent,
    debtorBranch: batch.debtorBranch,
    debtorName: batch.debtorName,
    debtorAccount: batch.debtorAccount,
    debtorIdType: null,
    debtorIdValue: null,
    debtorAddress: null,
    debtorPhone: null,
    debtorMobile: null,
    debtorEmail: null,
    channelId: 'TECHM',
    debitStatus,
    debitReasonCode: null,
    ipsBatchId: null,
    fileName: null,
    rcreTime: nchlTimestamp(batch.createdAt),
    rcreUserId: batch.userId,
    // NCHL's real-time sample names the session `sessionSrlNo` (a number), the non-real-time one `sessionSeq` (text).
    ...(family === 'cips' ? { sessionSrlNo: session ? settlementSessionNumber(session) : null } : { sessionSeq: session }),
    settlementDate: session ? session.slice(0, 10) : null,
    debitReasonDesc,
    txnResponse: '',
  };
}

/** One transaction with its batch nested, keys as in NCHL's Case I (cips) and Case VI (nchlips) samples. */
export function transactionReport(family: ReportFamily, batch: BatchRecord, t: TransactionRecord, timeZone: string) {
  const credit = presentedCredit(batch.kind, batch, t);
  return {
    id: Number(t.id),
    batchId: Number(batch.id),
    isoTxnId: null,
    recDate: nchlDate(batch.createdAt, timeZone),
    instructionId: t.instructionId,
    endToEndId: t.endToEndId,
    amount: amountNumber(t.amount),
    chargeAmount: amountNumber(t.chargeAmount),
    chargeLiability: 'CG',
    purpose: t.purpose,
    merchantId: null,
    appId: t.appId,
    appTxnId: null,
    ...nchlCreditor(t),
    addenda1: null,
    addenda2: null,
    addenda3: null,
    addenda4: null,
    creditStatus: credit.creditStatus,
    reasonCode: credit.reasonCode,
    reversalStatus: batch.status === 'REVERSED' ? '000' : null,
    refId: null,
    remarks: null,
    particulars: t.instructionId,
    freeCode1: null,
    freeCode2: null,
    freeText1: null,
    freeText2: null,
    beneficiaryId: null,
    beneficiaryName: t.creditorName,
    ipsBatchId: null,
    rcreUserId: batch.userId,
    rcreTime: nchlTimestamp(batch.createdAt),
    ...(family === 'nchlips' ? { ipsTxnId: null } : {}),
    reasonDesc: credit.reasonDesc,
    txnResponse: '',
    // In NCHL's field table (not in its samples): the branch of the credited account.
    orignBranchId: t.creditorBranch,
    ...(family === 'cips' ? { cipsBatchDetail: batchReport(family, batch, timeZone) } : { nchlIpsBatchDetail: batchReport(family, batch, timeZone) }),
  };
}
