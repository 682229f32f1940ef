import { CliError } from '../errors';
import { MAX_TRANSACTIONS, batchFromJson, batchesFromRows, parseCsv, sumAmounts } from './batch-file';

const defaults = { batchId: 'B1', debtorAgent: '2501', debtorBranch: '1', debtorAccount: '0010055573200018', debtorName: 'Demo' };
const row = (i: number) => ({ amount: '10.5', creditorAgent: '4501', creditorBranch: '23', creditorName: `N ${i}`, creditorAccount: `00101${i}` });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as CliError).code;
  }
  return undefined;
}

describe('parseCsv', () => {
  it('reads a header and rows, with quoted fields, doubled quotes, CRLF and a BOM', () => {
    const text = '\uFEFFinstructionId,amount,creditorAgent,creditorBranch,creditorName,creditorAccount\r\nI-1,100,4501,23,"Thapa, Ram ""RB""",0011\r\n\r\nI-2,5.25,4501,23,Sita,0012\n';
    expect(parseCsv(text)).toEqual([
      { instructionId: 'I-1', amount: '100', creditorAgent: '4501', creditorBranch: '23', creditorName: 'Thapa, Ram "RB"', creditorAccount: '0011' },
      { instructionId: 'I-2', amount: '5.25', creditorAgent: '4501', creditorBranch: '23', creditorName: 'Sita', creditorAccount: '0012' },
    ]);
  });

  it('refuses a missing column, a short row and an unclosed quote (ERR_CSV_INVALID)', () => {
    expect(codeOf(() => parseCsv('amount,creditorAgent\n1,2\n'))).toBe('ERR_CSV_INVALID');
    expect(codeOf(() => parseCsv('amount,creditorAgent,creditorBranch,creditorName,creditorAccount\n1,2,3\n'))).toBe('ERR_CSV_INVALID');
    expect(codeOf(() => parseCsv('amount,creditorAgent,creditorBranch,creditorName,creditorAccount\n1,2,3,"x,5\n'))).toBe('ERR_CSV_INVALID');
    expect(codeOf(() => parseCsv('amount\n'))).toBe('ERR_CSV_INVALID');
  });
});

describe('sumAmounts', () => {
  it('adds exactly in paisa', () => {
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.30');
    expect(sumAmounts([1500, '250.50', '0.05'])).toBe('1750.55');
  });
  it('refuses more than two decimals (ERR_AMOUNT_INVALID)', () => {
    expect(codeOf(() => sumAmounts(['1.001']))).toBe('ERR_AMOUNT_INVALID');
  });
});

describe('batchesFromRows', () => {
  it('makes one non-real-time batch with the total, count and generated instruction ids', () => {
    const [batch] = batchesFromRows([row(1), row(2), row(3)], 'non-real-time', defaults);
    expect(batch.kind).toBe('non-real-time');
    expect(batch.body.nchlIpsBatchDetail).toMatchObject({ batchId: 'B1', batchAmount: '31.50', batchCount: 3, batchCrncy: 'NPR', categoryPurpose: 'CUST', debtorAccount: '0010055573200018' });
    expect((batch.body.nchlIpsTransactionDetailList as { instructionId: string }[]).map((t) => t.instructionId)).toEqual(['B1-1', 'B1-2', 'B1-3']);
  });

  it('makes one real-time batch per row, each with its own batchId', () => {
    const batches = batchesFromRows([row(1), row(2)], 'real-time', defaults);
    expect(batches.map((b) => (b.body.cipsBatchDetail as { batchId: string }).batchId)).toEqual(['B1-1', 'B1-2']);
    expect(batches[0].body.cipsTransactionDetailList).toEqual([{ ...row(1), instructionId: 'B1-1-1' }]);
  });

  it(`refuses more than ${MAX_TRANSACTIONS} transactions (ERR_BATCH_TOO_LARGE) and batch ids over 20 characters`, () => {
    expect(codeOf(() => batchesFromRows(Array.from({ length: MAX_TRANSACTIONS + 1 }, (_, i) => row(i)), 'non-real-time', defaults))).toBe('ERR_BATCH_TOO_LARGE');
    expect(batchesFromRows(Array.from({ length: MAX_TRANSACTIONS }, (_, i) => row(i)), 'non-real-time', defaults)[0].body.nchlIpsBatchDetail).toMatchObject({ batchCount: MAX_TRANSACTIONS });
    expect(codeOf(() => batchesFromRows([row(1), row(2)], 'real-time', { ...defaults, batchId: 'X'.repeat(19) }))).toBe('ERR_BATCH_ID_TOO_LONG');
  });
});

describe('batchFromJson', () => {
  it('tells real time from non-real time by the body and drops a stale token', () => {
    expect(batchFromJson({ cipsBatchDetail: {}, cipsTransactionDetailList: [{}], token: 'old' })).toEqual({ kind: 'real-time', body: { cipsBatchDetail: {}, cipsTransactionDetailList: [{}] } });
    expect(batchFromJson({ nchlIpsBatchDetail: {}, nchlIpsTransactionDetailList: [{}] }).kind).toBe('non-real-time');
    expect(codeOf(() => batchFromJson({ something: 1 }))).toBe('ERR_BATCH_FILE_INVALID');
    expect(codeOf(() => batchFromJson({ cipsBatchDetail: {}, cipsTransactionDetailList: [] }))).toBe('ERR_BATCH_EMPTY');
  });
});
