import { amountToPaisa, paisaToAmount } from '@npi/signature-token';
import type { ParsedBatch } from '../batches/batch-request';
import type { AcceptedBatch } from '../batches/batches.service';
import { amountNumber, nchlCreditor, nchlTimestamp } from '../npi/nchl-format';

/** Optional member fields NCHL echoes back in the confirm answer (read from the request as sent). */
type Echo = Record<string, unknown>;
const echo = (source: Echo, key: string): string | number | null => {
  const value = source[key];
  return typeof value === 'string' || typeof value === 'number' ? value : null;
};

/**
 * The accepted answer of `POST /api/npibiller/confirmbillerpay.do`, keys and JSON types exactly as
 * NCHL's Billers guide ("Confirm Bill Pay", response parameters): `responseResult` in the technical
 * format, the batch and the transaction as NCHL records them. Values NPI does not have (an ISO
 * reference, a merchant id, ...) are `null`, as in NCHL's own sample.
 */
export function billerConfirmAnswer(input: {
  request: ParsedBatch;
  batchEcho: Echo;
  transactionEcho: Echo;
  bill: { appId: string | null; refId: string | null };
  userId: string;
  accepted: AcceptedBatch;
}) {
  const { request, batchEcho, transactionEcho, bill, userId, accepted } = input;
  const transaction = request.transactions[0];
  const at = nchlTimestamp(accepted.at);
  const batchCharge = paisaToAmount(accepted.charges.reduce((sum, charge) => sum + amountToPaisa(charge), 0n));
  return {
    responseResult: { responseCode: '000', responseDescription: 'SUCCESS', fieldErrors: [] },
    cipsBatchDetail: {
      id: Number(accepted.batchRowId),
      batchId: request.batchId,
      recDate: at,
      channelId: 'TECHM',
      ipsBatchId: null,
      fileName: null,
      batchAmount: amountNumber(request.batchAmount),
      batchCount: request.batchCount,
      batchChargeAmount: amountNumber(batchCharge),
      batchCrncy: request.currency,
      categoryPurpose: request.categoryPurpose,
      debtorAgent: request.debtorAgent,
      debtorBranch: request.debtorBranch,
      debtorName: request.debtorName,
      debtorAccount: request.debtorAccount,
      debtorIdType: echo(batchEcho, 'debtorIdType'),
      debtorIdValue: echo(batchEcho, 'debtorIdValue'),
      debtorAddress: echo(batchEcho, 'debtorAddress'),
      debtorPhone: echo(batchEcho, 'debtorPhone'),
      debtorMobile: echo(batchEcho, 'debtorMobile'),
      debtorEmail: echo(batchEcho, 'debtorEmail'),
      rcreUserId: userId,
      rcreTime: at,
      debitStatus: '000',
      debitReasonCode: null,
      isoTxnId: null,
      sessionSrlNo: null,
      settlementDate: null,
      corporateId: null,
      initBranchId: null,
      debitReasonDesc: 'SUCCESS',
      txnResponse: null,
    },
    cipsTransactionDetail: {
      id: Number(accepted.transactionIds[0]),
      recDate: at,
      instructionId: transaction.instructionId,
      endToEndId: transaction.endToEndId,
      amount: amountNumber(transaction.amount),
      chargeAmount: amountNumber(accepted.charges[0]),
      chargeLiability: 'CG',
      purpose: transaction.purpose,
      ...nchlCreditor(transaction),
      addenda1: echo(transactionEcho, 'addenda1'),
      addenda2: echo(transactionEcho, 'addenda2'),
      addenda3: echo(transactionEcho, 'addenda3'),
      addenda4: echo(transactionEcho, 'addenda4'),
      freeCode1: echo(transactionEcho, 'freeCode1'),
      freeCode2: echo(transactionEcho, 'freeCode2'),
      freeText1: echo(transactionEcho, 'freeText1'),
      freeText2: echo(transactionEcho, 'freeText2'),
      rcreUserId: userId,
      rcreTime: at,
      ipsBatchId: null,
      creditStatus: accepted.creditStatus,
      reasonCode: null,
      refId: bill.refId,
      remarks: echo(transactionEcho, 'remarks'),
      particulars: null,
      merchantId: null,
      appId: bill.appId,
      appTxnId: null,
      reversalStatus: null,
      isoTxnId: null,
      batchId: Number(accepted.batchRowId),
      orignBranchId: transaction.creditorBranch,
      reasonDesc: accepted.creditStatus === 'DEFER' ? 'Deferred Credit Payment' : null,
      txnResponse: null,
    },
  };
}
