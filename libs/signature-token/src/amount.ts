import { TokenStringError } from './errors';

/** An amount as NCHL's JSON carries it: a JSON number, or the decimal text itself. */
export type Amount = string | number;

/** NCHL's amounts are BigDecimal (14,2): at most 14 integer digits and 2 fraction digits. */
const MAX_INTEGER_DIGITS = 14;

/**
 * Plain decimal text only: digits, optionally a point followed by digits. No sign, exponent,
 * whitespace, grouping, `.5` or `5.` forms: each is a second spelling of one value, and two
 * spellings of one amount must never produce two token strings (or one spelling two values).
 */
const DECIMAL_TEXT = /^([0-9]+)(?:\.([0-9]+))?$/;

/**
 * Below 2^46 consecutive doubles are less than 0.01 apart, so every decimal with at most two
 * fraction digits maps to a distinct double and `String(number)` gives that decimal back exactly.
 * At or above it a JSON number may already have lost the member's cents before we see it.
 */
const LARGEST_EXACT_NUMBER = 2 ** 46;

/**
 * The canonical text of an amount inside a token string: its exact decimal value with exactly two
 * fraction digits (NPI-REFERENCE "Signature token strings", decided): `100`, `100.0` and `"100.00"`
 * all give `100.00`, `"0100.5"` gives `100.50`. Never goes through floating-point arithmetic.
 *
 * @param field path of the field in the request, used only in the error.
 * @throws TokenStringError `ERR_AMOUNT_INVALID` for anything else: negative, NaN, Infinity,
 *   exponent forms, more than two non-zero fraction digits (`100.005`), more than 14 integer
 *   digits; `ERR_FIELD_MISSING` when absent.
 */
export function canonicalAmount(value: unknown, field = 'amount'): string {
  if (value === undefined || value === null || value === '') {
    throw new TokenStringError('ERR_FIELD_MISSING', field, `${field} is required`);
  }
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(field, 'is not a finite number');
    if (value < 0 || Object.is(value, -0)) throw invalid(field, 'is negative');
    if (value >= LARGEST_EXACT_NUMBER) {
      throw invalid(field, 'is too large to be carried exactly by a JSON number; send it as a decimal string');
    }
    // Shortest round-trip text: exact below 2^46 (see above); exponent forms (1e-7) fail the grammar.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    throw invalid(field, 'must be a decimal number or decimal string');
  }

  const match = DECIMAL_TEXT.exec(text);
  if (!match) {
    throw invalid(field, 'must be a plain non-negative decimal (digits with an optional fraction; no sign or exponent)');
  }
  const integerDigits = match[1].replace(/^0+(?=[0-9])/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) {
    throw invalid(field, `has ${fraction.length} significant fraction digits; at most 2 are allowed`);
  }
  if (integerDigits.length > MAX_INTEGER_DIGITS) {
    throw invalid(field, `has more than ${MAX_INTEGER_DIGITS} integer digits (NCHL amounts are decimal(14,2))`);
  }
  return `${integerDigits}.${fraction.padEnd(2, '0')}`;
}

function invalid(field: string, reason: string): TokenStringError {
  return new TokenStringError('ERR_AMOUNT_INVALID', field, `${field} ${reason}`);
}
