import { listField, objectField, textField } from '../lib/fields';
import { writeBatchFields, writeTransactionFields } from '../lib/batch';
import type { RealTimeRequest } from '../types';

/**
 * The token string of a real-time batch (`POST /api/postcipsbatch`), docs/npi-reference.md "Signature
 * token strings": `batchId,debtorAgent,debtorBranch,debtorAccount,batchAmount,batchCrncy,`
 * `instructionId,creditorAgent,creditorBranch,creditorAccount,amount,userId`.
 *
 * @param request the body as the member posted it (other NCHL fields are ignored).
 * @param userId the member's NPI user: the OAuth `username` its access token was issued to.
 * @throws TokenStringError `ERR_FIELD_MISSING`, `ERR_FIELD_INVALID` (a comma in a field, not
 *   exactly one transaction), `ERR_AMOUNT_INVALID`.
 */
export function buildRealTimeTokenString(request: RealTimeRequest, userId: string): string {
  const body = objectField(request, 'request');
  const batch = objectField(body['cipsBatchDetail'], 'cipsBatchDetail');
  // NCHL: "the transactions per batch limit will be 1" for postcipsbatch.
  const list = listField(body['cipsTransactionDetailList'], 'cipsTransactionDetailList', 1, 1);
  const out = new Array<string>(12);
  let next = writeBatchFields(batch, 'cipsBatchDetail', out, 0);
  const transaction = objectField(list[0], 'cipsTransactionDetailList', undefined, 0);
  next = writeTransactionFields(transaction, 'cipsTransactionDetailList', 0, out, next);
  out[next] = textField(userId, 'userId');
  return out.join(',');
}
