import { NchlRealTimeBatchDto } from '../batches/batch-request';
import { ValidationFailedError } from '../domain/errors';
import { NchlReportByBatchDto } from '../reporting/reporting.contracts';
import { NchlValidateAccountDto } from '../registry/details.contracts';
import { nchlBatchBody, nchlBody } from './nchl-body.pipe';

function refusal(run: () => unknown): { message: string; batchId?: string; fieldErrors: readonly { field: string; message: string }[] } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    const { message, batchId, fieldErrors } = error as ValidationFailedError;
    return { message, batchId, fieldErrors };
  }
  throw new Error('not refused');
}

const batch = { batchId: 'KHA-1', batchAmount: 1500, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: 'K', debtorAccount: '001' };
const transaction = { instructionId: 'KHA-1-1', endToEndId: 'P', amount: 1500, creditorAgent: '4501', creditorBranch: '23', creditorName: 'R', creditorAccount: '0010' };

describe('NCHL body pipes (E007 in the technical format)', () => {
  const realTime = nchlBatchBody('cipsBatchDetail');
  const asBody = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as never });

  it('names list entries as NCHL does and signs the refusal over the readable batchId', () => {
    const body = { cipsBatchDetail: { ...batch, batchCrncy: 'USD' }, cipsTransactionDetailList: [{ ...transaction, amount: {} }], token: 't' };
    expect(refusal(() => realTime.transform(body, asBody(NchlRealTimeBatchDto)))).toEqual({
      message: 'technical validation failed',
      batchId: 'KHA-1',
      fieldErrors: [
        { field: 'cipsBatchDetail.batchCrncy', message: 'batchCrncy must be NPR' },
        { field: 'cipsTransactionDetailList[0].amount', message: 'Invalid input' },
      ],
    });
  });

  it('answers a missing body with one (body): Required, and a batchId too long to sign over with none', () => {
    expect(refusal(() => realTime.transform(undefined, asBody(NchlRealTimeBatchDto))).fieldErrors).toEqual([{ field: '(body)', message: 'Required' }]);
    expect(refusal(() => nchlBody.transform(undefined, asBody(NchlReportByBatchDto))).fieldErrors).toEqual([{ field: '(body)', message: 'Required' }]);
    expect(refusal(() => realTime.transform({ cipsBatchDetail: { batchId: 'x'.repeat(21) } }, asBody(NchlRealTimeBatchDto))).batchId).toBeUndefined();
  });

  it('keeps the untrimmed body for the token string: the handler gets the trimmed values', () => {
    const body = { cipsBatchDetail: { ...batch, batchId: ' KHA-1 ' }, cipsTransactionDetailList: [transaction], token: 't', addenda1: 'kept' };
    expect(realTime.transform(body, asBody(NchlRealTimeBatchDto))).toMatchObject({ cipsBatchDetail: { batchId: 'KHA-1' }, addenda1: 'kept' });
    expect(body.cipsBatchDetail.batchId).toBe(' KHA-1 ');
  });

  it("answers account validation with one message per field, whatever the body is", () => {
    const all = [
      { field: 'bankId', message: 'bankId is required: 1-8 letters or digits' },
      { field: 'accountId', message: 'accountId is required: 1-20 letters, digits or dashes' },
      { field: 'accountName', message: 'accountName is required: up to 140 printable characters' },
    ];
    for (const body of [undefined, [], {}, { bankId: 5, accountId: null, accountName: ' \u0000' }]) {
      expect(refusal(() => nchlBody.transform(body, asBody(NchlValidateAccountDto))).fieldErrors).toEqual(all);
    }
  });
});
