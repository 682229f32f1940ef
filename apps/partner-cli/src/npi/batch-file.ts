/**
 * A member's batch, from a file, into NCHL's request bodies:
 * - JSON: an NCHL body as posted (`cipsBatchDetail` + `cipsTransactionDetailList` for real time,
 *   `nchlIpsBatchDetail` + `nchlIpsTransactionDetailList` for non-real time); `token` is recomputed.
 * - CSV: a header row and one transaction per row (NCHL's field names as column names); the batch
 *   detail comes from options and the demo member's whitelisted debtor account.
 * Real time takes exactly one transaction per batch, so a real-time file of N rows is N batches.
 */
import { canonicalAmount } from '@npi/signature-token';
import { CliError } from '../errors';

export type BatchKind = 'real-time' | 'non-real-time';

export const MAX_TRANSACTIONS = 10_000;

export interface BatchDefaults {
  batchId: string;
  debtorAgent: string;
  debtorBranch: string;
  debtorAccount: string;
  debtorName: string;
  categoryPurpose?: string;
}

export interface PlannedBatch {
  kind: BatchKind;
  /** The body without `token`. */
  body: Record<string, unknown> & { token?: never };
}

type Row = Record<string, unknown>;
const TRANSACTION_COLUMNS = ['instructionId', 'endToEndId', 'amount', 'purpose', 'creditorAgent', 'creditorBranch', 'creditorName', 'creditorAccount'] as const;
const REQUIRED_COLUMNS = ['amount', 'creditorAgent', 'creditorBranch', 'creditorName', 'creditorAccount'];

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; the first row names the columns. */
export function parseCsv(text: string): Row[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (quoted) throw new CliError('ERR_CSV_INVALID', 'a quoted CSV field is not closed', 'close the quote or remove it');
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => r.some((value) => value.trim() !== ''));
  if (nonEmpty.length < 2) throw new CliError('ERR_CSV_INVALID', 'the CSV needs a header row and at least one transaction', `header: ${TRANSACTION_COLUMNS.join(',')}`);
  const [header, ...rows] = nonEmpty;
  const columns = header.map((name) => name.trim());
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length) throw new CliError('ERR_CSV_INVALID', `the CSV header lacks ${missing.join(', ')}`, `header: ${TRANSACTION_COLUMNS.join(',')}`);
  return rows.map((values, index) => {
    if (values.length !== columns.length) throw new CliError('ERR_CSV_INVALID', `CSV row ${index + 2} has ${values.length} fields, the header ${columns.length}`, 'quote fields that contain commas');
    return Object.fromEntries(columns.map((name, i) => [name, values[i].trim()]));
  });
}

/** Exact decimal sum of NPR amounts (in paisa), as the canonical 2-decimal string. */
export function sumAmounts(amounts: unknown[]): string {
  let paisa = 0n;
  for (const [index, amount] of amounts.entries()) {
    const canonical = canonicalAmountOrError(amount, `transaction ${index + 1}`);
    paisa += BigInt(canonical.replace('.', ''));
  }
  const text = paisa.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

function canonicalAmountOrError(amount: unknown, where: string): string {
  try {
    return canonicalAmount(amount as string, where);
  } catch (error) {
    throw new CliError('ERR_AMOUNT_INVALID', `${where}: ${(error as Error).message}`, 'amounts are positive NPR with at most 2 decimals, e.g. 1500 or 1500.50');
  }
}

function transactionOf(row: Row, instructionId: string): Row {
  const transaction: Row = {};
  for (const column of TRANSACTION_COLUMNS) if (row[column] !== undefined && row[column] !== '') transaction[column] = row[column];
  transaction.instructionId ??= instructionId;
  return transaction;
}

function checkCount(count: number): void {
  if (count === 0) throw new CliError('ERR_BATCH_EMPTY', 'the file has no transactions', 'add at least one transaction');
  if (count > MAX_TRANSACTIONS) throw new CliError('ERR_BATCH_TOO_LARGE', `${count} transactions; NCHL takes at most ${MAX_TRANSACTIONS} per batch`, 'split the file');
}

/** The batches to post for a CSV's rows. */
export function batchesFromRows(rows: Row[], kind: BatchKind, defaults: BatchDefaults): PlannedBatch[] {
  checkCount(rows.length);
  const batchDetail = (batchId: string, amounts: unknown[], count: number) => ({
    batchId,
    batchAmount: sumAmounts(amounts),
    batchCount: count,
    batchCrncy: 'NPR',
    categoryPurpose: defaults.categoryPurpose ?? (kind === 'real-time' ? 'ECPG' : 'CUST'),
    debtorAgent: defaults.debtorAgent,
    debtorBranch: defaults.debtorBranch,
    debtorName: defaults.debtorName,
    debtorAccount: defaults.debtorAccount,
  });
  if (kind === 'non-real-time') {
    const list = rows.map((row, i) => transactionOf(row, `${defaults.batchId}-${i + 1}`));
    return [{ kind, body: { nchlIpsBatchDetail: batchDetail(defaults.batchId, list.map((t) => t.amount), list.length), nchlIpsTransactionDetailList: list } }];
  }
  return rows.map((row, i) => {
    const batchId = rows.length === 1 ? defaults.batchId : `${defaults.batchId}-${i + 1}`;
    if (batchId.length > 20) throw new CliError('ERR_BATCH_ID_TOO_LONG', `batchId ${batchId} is longer than NCHL's 20 characters`, `use a shorter --batch-id (at most ${20 - String(rows.length).length - 1} characters for ${rows.length} real-time batches)`);
    const transaction = transactionOf(row, `${batchId}-1`);
    return { kind, body: { cipsBatchDetail: batchDetail(batchId, [transaction.amount], 1), cipsTransactionDetailList: [transaction] } };
  });
}

/** The batch of a JSON file: an NCHL body as posted. */
export function batchFromJson(value: unknown): PlannedBatch {
  const body = value as Record<string, unknown>;
  if (body && typeof body === 'object' && 'cipsBatchDetail' in body && Array.isArray(body.cipsTransactionDetailList)) {
    checkCount(body.cipsTransactionDetailList.length);
    const { token: _token, ...rest } = body;
    return { kind: 'real-time', body: rest };
  }
  if (body && typeof body === 'object' && 'nchlIpsBatchDetail' in body && Array.isArray(body.nchlIpsTransactionDetailList)) {
    checkCount(body.nchlIpsTransactionDetailList.length);
    const { token: _token, ...rest } = body;
    return { kind: 'non-real-time', body: rest };
  }
  throw new CliError('ERR_BATCH_FILE_INVALID', 'the JSON is not an NCHL batch body', 'give {cipsBatchDetail, cipsTransactionDetailList} (real time) or {nchlIpsBatchDetail, nchlIpsTransactionDetailList} (non-real time); see docs/guides/npi-member.md');
}
