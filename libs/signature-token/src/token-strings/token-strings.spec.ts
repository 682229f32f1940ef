import { canonicalAmount } from '../amount';
import { TokenStringError } from '../errors';
import { aBillersConfirmRequest, aNonRealTimeRequest, aRealTimeRequest, aResponse, SAMPLE_USER_ID } from '../testing/sample-requests';
import {
  billersConfirmFieldPaths,
  fieldAt,
  isAmountPath,
  nonRealTimeFieldPaths,
  realTimeFieldPaths,
  responseFieldPaths,
  withField,
} from '../testing/token-fields';
import { buildBillersConfirmTokenString } from './billers-confirm';
import { buildNonRealTimeTokenString, MAX_NON_REAL_TIME_TRANSACTIONS } from './non-real-time';
import { buildRealTimeTokenString } from './real-time';
import { buildResponseTokenString } from './response';

function thrown(action: () => unknown): TokenStringError {
  try {
    action();
  } catch (error) {
    if (error instanceof TokenStringError) return error;
    throw error;
  }
  throw new Error('expected a TokenStringError, nothing was thrown');
}

/** Each request builder with a sample body and the input field behind each token-string field. */
interface RequestCase {
  name: string;
  body: () => unknown;
  build: (body: unknown, userId: unknown) => string;
  paths: string[];
}

const requestCases: RequestCase[] = [
  {
    name: 'real time',
    body: aRealTimeRequest,
    build: (body, userId) => buildRealTimeTokenString(body as never, userId as string),
    paths: realTimeFieldPaths(),
  },
  {
    name: 'non-real time',
    body: () => aNonRealTimeRequest(3),
    build: (body, userId) => buildNonRealTimeTokenString(body as never, userId as string),
    paths: nonRealTimeFieldPaths(3),
  },
  {
    name: 'Billers confirm',
    body: aBillersConfirmRequest,
    build: (body, userId) => buildBillersConfirmTokenString(body as never, userId as string),
    paths: billersConfirmFieldPaths(),
  },
];

function build(testCase: RequestCase, path: string, value: unknown): string {
  if (path === 'userId') return testCase.build(testCase.body(), value);
  return testCase.build(withField(testCase.body(), path, value), SAMPLE_USER_ID);
}

describe('request token strings', () => {
  it('real time: batch fields, the transaction, userId (docs/npi-reference.md order)', () => {
    expect(buildRealTimeTokenString(aRealTimeRequest(), SAMPLE_USER_ID)).toBe(
      'KHA-198706,2501,1,0010055573200018,1500.00,NPR,KHA-198706-1,4501,23,001011160000374,1500.00,KHALTI@999',
    );
  });

  it('non-real time: batch fields, categoryPurpose, each transaction in order, userId', () => {
    expect(buildNonRealTimeTokenString(aNonRealTimeRequest(2), SAMPLE_USER_ID)).toBe(
      'TEST20250803,2501,1,0010055573200018,20.50,NPR,CUST,' +
        'TEST20250803-1,4501,23,001011160000000,10.50,' +
        'TEST20250803-2,4501,23,001011160000001,10.00,' +
        'KHALTI@999',
    );
  });

  it('Billers confirm: batch fields, id, instructionId, endToEndId, appId, refId, amount, userId', () => {
    expect(buildBillersConfirmTokenString(aBillersConfirmRequest(), SAMPLE_USER_ID)).toBe(
      'T13-12818780108,2601,1,0010123400000018,1000.00,NPR,12816806,T13-12818780108-1,Traffic Fine Payment,MER-984-APP-1,187145,1000.00,KHALTI@999',
    );
  });

  it('Billers confirm: a string id signs as the same text as the numeric one', () => {
    const withStringId = withField(aBillersConfirmRequest(), 'cipsTransactionDetail.id', '12816806');
    expect(buildBillersConfirmTokenString(withStringId, SAMPLE_USER_ID)).toBe(
      buildBillersConfirmTokenString(aBillersConfirmRequest(), SAMPLE_USER_ID),
    );
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('Billers confirm: id %p is ERR_FIELD_INVALID', (id) => {
    const error = thrown(() => buildBillersConfirmTokenString(withField(aBillersConfirmRequest(), 'cipsTransactionDetail.id', id), SAMPLE_USER_ID));
    expect(error.code).toBe('ERR_FIELD_INVALID');
    expect(error.field).toBe('cipsTransactionDetail.id');
  });

  it('ignores NCHL fields that are not signed, commas and all', () => {
    const request = aRealTimeRequest();
    const decorated = {
      ...request,
      cipsBatchDetail: { ...request.cipsBatchDetail, debtorName: 'Neupane, Ankit', batchCount: 1 },
      cipsTransactionDetailList: [{ ...request.cipsTransactionDetailList[0], endToEndId: 'a,b', addenda1: 8965 }],
      token: 'x',
    };
    expect(buildRealTimeTokenString(decorated, SAMPLE_USER_ID)).toBe(buildRealTimeTokenString(request, SAMPLE_USER_ID));
  });

  it('signs categoryPurpose only in the non-real-time string', () => {
    const request = withField(aRealTimeRequest(), 'cipsBatchDetail.categoryPurpose', undefined);
    expect(buildRealTimeTokenString(request, SAMPLE_USER_ID)).toContain(',NPR,KHA-198706-1,');
  });

  it('keeps well-formed non-ASCII text as it is (UTF-8 when signed)', () => {
    const request = withField(aBillersConfirmRequest(), 'cipsTransactionDetail.endToEndId', 'ट्राफिक जरिवाना 😀');
    expect(buildBillersConfirmTokenString(request, SAMPLE_USER_ID)).toContain(',ट्राफिक जरिवाना 😀,');
  });

  describe.each(requestCases)('$name', (testCase) => {
    it('puts each input field at its place in the string', () => {
      const body = testCase.body();
      const fields = testCase.build(body, SAMPLE_USER_ID).split(',');
      expect(fields).toHaveLength(testCase.paths.length);
      testCase.paths.forEach((path, index) => {
        const value = path === 'userId' ? SAMPLE_USER_ID : fieldAt(body, path);
        const expected = isAmountPath(path) ? canonicalAmount(value) : String(value);
        expect([path, fields[index]]).toEqual([path, expected]);
      });
    });

    it.each(testCase.paths)('%s absent is ERR_FIELD_MISSING', (path) => {
      for (const absent of [undefined, null, '']) {
        const error = thrown(() => build(testCase, path, absent));
        expect([error.code, error.field]).toEqual(['ERR_FIELD_MISSING', path]);
      }
    });

    it.each(testCase.paths)('%s with a comma is refused (it would shift the fields after it)', (path) => {
      const error = thrown(() => build(testCase, path, '10,00'));
      expect([error.code, error.field]).toEqual([isAmountPath(path) ? 'ERR_AMOUNT_INVALID' : 'ERR_FIELD_INVALID', path]);
    });

    it.each(testCase.paths.filter((path) => !isAmountPath(path)))('%s with a lone surrogate is ERR_FIELD_INVALID', (path) => {
      const error = thrown(() => build(testCase, path, 'A\uD800B'));
      expect([error.code, error.field]).toEqual(['ERR_FIELD_INVALID', path]);
    });

    it.each(testCase.paths.filter((path) => !isAmountPath(path) && !path.endsWith('.id')))('%s as a non-string is ERR_FIELD_INVALID', (path) => {
      const error = thrown(() => build(testCase, path, 2501));
      expect([error.code, error.field]).toEqual(['ERR_FIELD_INVALID', path]);
    });

    it('refuses a body that is not an object', () => {
      expect(thrown(() => testCase.build(null, SAMPLE_USER_ID)).code).toBe('ERR_FIELD_MISSING');
      expect(thrown(() => testCase.build('{}', SAMPLE_USER_ID)).code).toBe('ERR_FIELD_INVALID');
    });
  });

  it.each(['cipsBatchDetail', 'cipsTransactionDetailList'])('real time: %s absent is ERR_FIELD_MISSING', (path) => {
    const error = thrown(() => buildRealTimeTokenString(withField(aRealTimeRequest(), path, undefined), SAMPLE_USER_ID));
    expect([error.code, error.field]).toEqual(['ERR_FIELD_MISSING', path]);
  });

  it.each([0, 2])('real time: %i transactions is ERR_FIELD_INVALID (NCHL: one per batch)', (count) => {
    const request = aRealTimeRequest();
    const list = Array.from({ length: count }, () => request.cipsTransactionDetailList[0]);
    const error = thrown(() => buildRealTimeTokenString({ ...request, cipsTransactionDetailList: list }, SAMPLE_USER_ID));
    expect([error.code, error.field]).toEqual(['ERR_FIELD_INVALID', 'cipsTransactionDetailList']);
  });

  it('real time: a list entry that is not an object is ERR_FIELD_INVALID', () => {
    const error = thrown(() => buildRealTimeTokenString(withField(aRealTimeRequest(), 'cipsTransactionDetailList[0]', 'x'), SAMPLE_USER_ID));
    expect([error.code, error.field]).toEqual(['ERR_FIELD_INVALID', 'cipsTransactionDetailList[0]']);
  });

  it('non-real time: builds the 10,000-transaction maximum, 50,008 fields', () => {
    const tokenString = buildNonRealTimeTokenString(aNonRealTimeRequest(MAX_NON_REAL_TIME_TRANSACTIONS), SAMPLE_USER_ID);
    const fields = tokenString.split(',');
    expect(fields).toHaveLength(7 + 5 * 10_000 + 1);
    expect(fields.slice(-6)).toEqual(['TEST20250803-10000', '4501', '23', '001011160009999', '10.00', 'KHALTI@999']);
  });

  it.each([0, MAX_NON_REAL_TIME_TRANSACTIONS + 1])('non-real time: %i transactions is ERR_FIELD_INVALID', (count) => {
    const error = thrown(() => buildNonRealTimeTokenString(aNonRealTimeRequest(count), SAMPLE_USER_ID));
    expect([error.code, error.field]).toEqual(['ERR_FIELD_INVALID', 'nchlIpsTransactionDetailList']);
  });

  it('non-real time: a list that is not an array is ERR_FIELD_INVALID', () => {
    const error = thrown(() =>
      buildNonRealTimeTokenString(withField(aNonRealTimeRequest(1), 'nchlIpsTransactionDetailList', { 0: {} }), SAMPLE_USER_ID),
    );
    expect([error.code, error.field]).toEqual(['ERR_FIELD_INVALID', 'nchlIpsTransactionDetailList']);
  });

  it('an amount with three significant fraction digits is ERR_AMOUNT_INVALID with its path', () => {
    const error = thrown(() =>
      buildNonRealTimeTokenString(withField(aNonRealTimeRequest(3), 'nchlIpsTransactionDetailList[2].amount', '100.005'), SAMPLE_USER_ID),
    );
    expect([error.code, error.field]).toEqual(['ERR_AMOUNT_INVALID', 'nchlIpsTransactionDetailList[2].amount']);
  });

  it.each([
    [100, '100.00'],
    ['100.0', '100.00'],
    ['100.00', '100.00'],
    ['100.000', '100.00'],
  ])('amount %p and its other spellings sign as %s', (amount, canonical) => {
    const tokenString = buildRealTimeTokenString(withField(aRealTimeRequest(), 'cipsTransactionDetailList[0].amount', amount), SAMPLE_USER_ID);
    expect(tokenString.split(',')[10]).toBe(canonical);
  });
});

describe('response token string (decided in docs/npi-reference.md)', () => {
  it('batchId, responseCode, debitStatus, then per transaction instructionId, responseCode, creditStatus', () => {
    expect(buildResponseTokenString(aResponse())).toBe('KHA-198706,000,000,KHA-198706-1,000,ACSP');
  });

  it('signs absent or null statuses as empty fields, keeping the field count', () => {
    const response = {
      cipsBatchResponse: { batchId: 'B-1', responseCode: 'E007', debitStatus: null },
      cipsTxnResponseList: [{ instructionId: 'B-1-1', responseCode: 'E007' }],
    };
    expect(buildResponseTokenString(response)).toBe('B-1,E007,,B-1-1,E007,');
  });

  it.each([undefined, null, []])('without transactions (%p) it is the batch part only', (list) => {
    const response = { cipsBatchResponse: { batchId: 'B-1', responseCode: '99', debitStatus: '' }, cipsTxnResponseList: list };
    expect(buildResponseTokenString(response)).toBe('B-1,99,');
  });

  it('keeps list order for many transactions', () => {
    const response = {
      cipsBatchResponse: { batchId: 'B', responseCode: '000', debitStatus: '000' },
      cipsTxnResponseList: [
        { instructionId: 'B-1', responseCode: '000', creditStatus: 'ACSC' },
        { instructionId: 'B-2', responseCode: '1001', creditStatus: 'RJCT' },
      ],
    };
    expect(buildResponseTokenString(response)).toBe('B,000,000,B-1,000,ACSC,B-2,1001,RJCT');
  });

  const responseWith = (path: string, value: unknown) => () => buildResponseTokenString(withField(aResponse(), path, value));

  it.each(responseFieldPaths(1).filter((path) => !path.endsWith('Status')))('%s absent is ERR_FIELD_MISSING', (path) => {
    expect([thrown(responseWith(path, undefined)).code, thrown(responseWith(path, undefined)).field]).toEqual(['ERR_FIELD_MISSING', path]);
  });

  it.each(responseFieldPaths(1))('%s with a comma is ERR_FIELD_INVALID', (path) => {
    const error = thrown(responseWith(path, 'A,B'));
    expect([error.code, error.field]).toEqual(['ERR_FIELD_INVALID', path]);
  });

  it('refuses a missing cipsBatchResponse', () => {
    const error = thrown(() => buildResponseTokenString({ cipsTxnResponseList: [] } as never));
    expect([error.code, error.field]).toEqual(['ERR_FIELD_MISSING', 'cipsBatchResponse']);
  });
});
