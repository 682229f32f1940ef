import { amountField, identifierField, objectField, textField } from '../lib/fields';
import { writeBatchFields } from '../lib/batch';
import type { BillersConfirmRequest } from '../types';

const TRANSACTION = 'cipsTransactionDetail';

/**
 * The token string of an NPI Billers payment confirmation (`POST /api/npibiller/confirmbillerpay.do`),
 * docs/npi-reference.md "Signature token strings": `batchId,debtorAgent,debtorBranch,debtorAccount,`
 * `batchAmount,batchCrncy,id,instructionId,endToEndId,appId,refId,amount,userId`.
 *
 * @param userId the member's NPI user: the OAuth `username` its access token was issued to.
 * @throws TokenStringError `ERR_FIELD_MISSING`, `ERR_FIELD_INVALID`, `ERR_AMOUNT_INVALID`.
 */
export function buildBillersConfirmTokenString(request: BillersConfirmRequest, userId: string): string {
  const body = objectField(request, 'request');
  const batch = objectField(body['cipsBatchDetail'], 'cipsBatchDetail');
  const transaction = objectField(body[TRANSACTION], TRANSACTION);
  const out = new Array<string>(13);
  const next = writeBatchFields(batch, 'cipsBatchDetail', out, 0);
  out[next] = identifierField(transaction['id'], 'id', TRANSACTION);
  out[next + 1] = textField(transaction['instructionId'], 'instructionId', TRANSACTION);
  out[next + 2] = textField(transaction['endToEndId'], 'endToEndId', TRANSACTION);
  out[next + 3] = textField(transaction['appId'], 'appId', TRANSACTION);
  out[next + 4] = textField(transaction['refId'], 'refId', TRANSACTION);
  out[next + 5] = amountField(transaction['amount'], 'amount', TRANSACTION);
  out[next + 6] = textField(userId, 'userId');
  return out.join(',');
}
