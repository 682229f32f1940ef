import { listField, objectField, optionalTextField, textField } from '../lib/fields';
import { MAX_NON_REAL_TIME_TRANSACTIONS } from './non-real-time';
import type { TransactionResponseBody } from '../types';

const BATCH = 'cipsBatchResponse';
const LIST = 'cipsTxnResponseList';

/**
 * The token string NPI signs over its own answer to a transaction API. NCHL says answers carry a
 * token but gives no field order; decided in docs/npi-reference.md "Signature token strings": the answer's
 * financial fields, comma-joined like the requests' strings:
 * `batchId,responseCode,debitStatus` then for each entry of `cipsTxnResponseList`, in order,
 * `,instructionId,responseCode,creditStatus`.
 *
 * A status that is absent, null or empty (the batch was refused before that leg ran) is an empty
 * field, so the number of fields is always 3 + 3 per transaction. Response messages and NCHL's
 * numeric ids are not signed: they are not financial facts.
 *
 * @throws TokenStringError `ERR_FIELD_MISSING`, `ERR_FIELD_INVALID`.
 */
export function buildResponseTokenString(response: TransactionResponseBody): string {
  const body = objectField(response, 'response');
  const batch = objectField(body[BATCH], BATCH);
  const rawList = body[LIST];
  const list = rawList === undefined || rawList === null ? [] : listField(rawList, LIST, 0, MAX_NON_REAL_TIME_TRANSACTIONS);
  const out = new Array<string>(3 + 3 * list.length);
  out[0] = textField(batch['batchId'], 'batchId', BATCH);
  out[1] = textField(batch['responseCode'], 'responseCode', BATCH);
  out[2] = optionalTextField(batch['debitStatus'], 'debitStatus', BATCH);
  let next = 3;
  for (let index = 0; index < list.length; index++) {
    const transaction = objectField(list[index], LIST, undefined, index);
    out[next] = textField(transaction['instructionId'], 'instructionId', LIST, index);
    out[next + 1] = textField(transaction['responseCode'], 'responseCode', LIST, index);
    out[next + 2] = optionalTextField(transaction['creditStatus'], 'creditStatus', LIST, index);
    next += 3;
  }
  return out.join(',');
}
