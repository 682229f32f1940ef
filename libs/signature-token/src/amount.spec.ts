import { amountToPaisa, canonicalAmount, paisaToAmount } from './amount';
import { TokenStringError } from './errors';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof TokenStringError) return error.code;
    throw error;
  }
  return undefined;
}

describe('canonicalAmount', () => {
  it.each<[string | number, string]>([
    [100, '100.00'],
    [100.0, '100.00'],
    ['100', '100.00'],
    ['100.0', '100.00'],
    ['100.00', '100.00'],
    ['100.000', '100.00'],
    [100.5, '100.50'],
    ['100.5', '100.50'],
    [0.1, '0.10'],
    [0.07, '0.07'],
    ['0.07', '0.07'],
    [0, '0.00'],
    ['0', '0.00'],
    ['0.00', '0.00'],
    ['0100.50', '100.50'],
    ['000', '0.00'],
    [1500.75, '1500.75'],
    [1e6, '1000000.00'],
    ['99999999999999.99', '99999999999999.99'],
    ['12345678901234.5', '12345678901234.50'],
    [70368744177663.99, '70368744177663.99'],
    [1234567890123.45, '1234567890123.45'],
    [2 ** 46, '70368744177664.00'],
    [99999999999999, '99999999999999.00'],
    ['1.10', '1.10'],
    ['1.01', '1.01'],
    ['10.10000', '10.10'],
  ])('%p -> %s', (input, expected) => {
    expect(canonicalAmount(input)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['100.005', 'three significant fraction digits'],
    [100.005, 'three significant fraction digits as a number'],
    ['0.001', 'a sub-cent amount'],
    [0.1 + 0.2, 'a float artefact (0.30000000000000004)'],
    ['-1', 'negative'],
    [-1, 'negative number'],
    [-0, 'negative zero'],
    ['-0.00', 'negative zero text'],
    ['+1', 'explicit plus sign'],
    [Number.NaN, 'NaN'],
    ['NaN', 'NaN text'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['Infinity', 'Infinity text'],
    ['1e3', 'exponent'],
    ['1E3', 'upper-case exponent'],
    [1e-7, 'number printed with an exponent'],
    [1e21, 'number printed with an exponent (large)'],
    ['.5', 'no integer digit'],
    ['5.', 'no fraction digit after the point'],
    [' 100', 'leading space'],
    ['100 ', 'trailing space'],
    ['1,000.00', 'grouping comma'],
    ['1_000', 'underscore'],
    ['0x10', 'hexadecimal'],
    ['１００', 'full-width digits'],
    ['100000000000000', '15 integer digits'],
    ['100000000000000.00', '15 integer digits with cents'],
    [2 ** 46 + 0.5, 'a fractional number beyond what a double carries to the cent'],
    [1e14, 'a whole number of 15 digits'],
    [true, 'a boolean'],
    [{}, 'an object'],
    [[100], 'an array'],
  ])('%p is ERR_AMOUNT_INVALID (%s)', (input) => {
    expect(codeOf(() => canonicalAmount(input))).toBe('ERR_AMOUNT_INVALID');
  });

  it.each([undefined, null, ''])('%p is ERR_FIELD_MISSING', (input) => {
    expect(codeOf(() => canonicalAmount(input, 'cipsBatchDetail.batchAmount'))).toBe('ERR_FIELD_MISSING');
  });

  it('names the field in the error but never echoes the value', () => {
    let caught: unknown;
    try {
      canonicalAmount('98765.4321', 'nchlIpsTransactionDetailList[7].amount');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TokenStringError);
    const error = caught as TokenStringError;
    expect(error.code).toBe('ERR_AMOUNT_INVALID');
    expect(error.field).toBe('nchlIpsTransactionDetailList[7].amount');
    expect(error.message).toContain('nchlIpsTransactionDetailList[7].amount');
    expect(error.message).not.toContain('98765');
  });
});

describe('amountToPaisa', () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['0.00', 0n],
    ['0.1', 10n],
    ['0.10', 10n],
    ['0.07', 7n],
    ['1', 100n],
    ['1.000', 100n],
    ['0100.50', 10_050n],
    ['1500.75', 150_075n],
    ['99999999999999.99', 9_999_999_999_999_999n],
  ])('%p is %p paisa', (input, paisa) => {
    expect(amountToPaisa(input)).toBe(paisa);
  });

  it('is exact beyond what a double carries (no floating point on the way)', () => {
    expect(amountToPaisa('90071992547409.93')).toBe(9_007_199_254_740_993n);
  });

  it.each<[string, string]>([
    ['1.005', 'a sub-paisa amount is refused, never rounded'],
    ['0.001', 'a sub-paisa amount below one paisa'],
    ['100000000000000', '15 integer digits (NCHL amounts are decimal(14,2))'],
    ['+1', 'explicit plus sign'],
    ['-1.50', 'negative'],
    ['-0.50', 'negative below one'],
    [' 1', 'leading whitespace'],
    ['1 ', 'trailing whitespace'],
    ['1e3', 'exponent'],
    ['1E-2', 'negative exponent'],
    ['abc', 'not a number'],
    ['1.2.3', 'two points'],
    ['.5', 'no integer digit'],
    ['5.', 'no fraction digit'],
  ])('%p is ERR_AMOUNT_INVALID (%s)', (input) => {
    expect(codeOf(() => amountToPaisa(input))).toBe('ERR_AMOUNT_INVALID');
  });

  it("'' is ERR_FIELD_MISSING, naming the field", () => {
    expect(() => amountToPaisa('', 'cap.used')).toThrow(expect.objectContaining({ code: 'ERR_FIELD_MISSING', field: 'cap.used' }));
  });
});

describe('paisaToAmount', () => {
  it.each<[bigint, string]>([
    [0n, '0.00'],
    [1n, '0.01'],
    [10n, '0.10'],
    [123_456n, '1234.56'],
    [9_999_999_999_999_999n, '99999999999999.99'],
    [-5n, '-0.05'],
    [-150n, '-1.50'],
  ])('%p paisa is %p', (paisa, text) => {
    expect(paisaToAmount(paisa)).toBe(text);
  });

  it('round-trips with amountToPaisa', () => {
    for (const text of ['0.00', '0.99', '1.00', '4321.09', '99999999999999.99']) expect(paisaToAmount(amountToPaisa(text))).toBe(text);
  });
});
