import { amountField, textField } from './fields';

/**
 * Writes the six batch fields every request token string starts with (docs/npi-reference.md "Signature
 * token strings"): batchId, debtorAgent, debtorBranch, debtorAccount, batchAmount, batchCrncy.
 * @returns the next free index of `out`.
 */
export function writeBatchFields(batch: Record<string, unknown>, parent: string, out: string[], start: number): number {
  out[start] = textField(batch['batchId'], 'batchId', parent);
  out[start + 1] = textField(batch['debtorAgent'], 'debtorAgent', parent);
  out[start + 2] = textField(batch['debtorBranch'], 'debtorBranch', parent);
  out[start + 3] = textField(batch['debtorAccount'], 'debtorAccount', parent);
  out[start + 4] = amountField(batch['batchAmount'], 'batchAmount', parent);
  out[start + 5] = textField(batch['batchCrncy'], 'batchCrncy', parent);
  return start + 6;
}

/**
 * Writes one credit transfer's five fields: instructionId, creditorAgent, creditorBranch,
 * creditorAccount, amount. @returns the next free index of `out`.
 */
export function writeTransactionFields(transaction: Record<string, unknown>, list: string, index: number, out: string[], start: number): number {
  out[start] = textField(transaction['instructionId'], 'instructionId', list, index);
  out[start + 1] = textField(transaction['creditorAgent'], 'creditorAgent', list, index);
  out[start + 2] = textField(transaction['creditorBranch'], 'creditorBranch', list, index);
  out[start + 3] = textField(transaction['creditorAccount'], 'creditorAccount', list, index);
  out[start + 4] = amountField(transaction['amount'], 'amount', list, index);
  return start + 5;
}
