import { canonicalAmount } from '../amount';
import { textField } from './fields';

/**
 * Writes the six batch fields every request token string starts with (NPI-REFERENCE "Signature
 * token strings"): batchId, debtorAgent, debtorBranch, debtorAccount, batchAmount, batchCrncy.
 * @returns the next free index of `out`.
 */
export function writeBatchFields(batch: Record<string, unknown>, path: string, out: string[], start: number): number {
  out[start] = textField(batch['batchId'], `${path}.batchId`);
  out[start + 1] = textField(batch['debtorAgent'], `${path}.debtorAgent`);
  out[start + 2] = textField(batch['debtorBranch'], `${path}.debtorBranch`);
  out[start + 3] = textField(batch['debtorAccount'], `${path}.debtorAccount`);
  out[start + 4] = canonicalAmount(batch['batchAmount'], `${path}.batchAmount`);
  out[start + 5] = textField(batch['batchCrncy'], `${path}.batchCrncy`);
  return start + 6;
}

/**
 * Writes one credit transfer's five fields: instructionId, creditorAgent, creditorBranch,
 * creditorAccount, amount. @returns the next free index of `out`.
 */
export function writeTransactionFields(transaction: Record<string, unknown>, path: string, out: string[], start: number): number {
  out[start] = textField(transaction['instructionId'], `${path}.instructionId`);
  out[start + 1] = textField(transaction['creditorAgent'], `${path}.creditorAgent`);
  out[start + 2] = textField(transaction['creditorBranch'], `${path}.creditorBranch`);
  out[start + 3] = textField(transaction['creditorAccount'], `${path}.creditorAccount`);
  out[start + 4] = canonicalAmount(transaction['amount'], `${path}.amount`);
  return start + 5;
}
