import { TokenStringError } from './errors';

/** An amount as NCHL's JSON carries it: a JSON number, or the decimal text itself. */
export type Amount = string | number;

/** NCHL's amounts are BigDecimal (14,2): at most 14 integer digits and 2 fraction digits. */
const MAX_INTEGER_DIGITS = 14;
const INTEGER_LIMIT = 10 ** MAX_INTEGER_DIGITS;

/**
 * Below 2^46 consecutive doubles are less than 0.01 apart, so every decimal with at most two
 * fraction digits maps to a distinct double and `String(number)` gives that decimal back exactly.
 * At or above it a JSON number may already have lost the member's cents before we see it.
 */
const LARGEST_EXACT_NUMBER = 2 ** 46;

/** Why an amount was refused: `missing` is ERR_FIELD_MISSING, any other text is ERR_AMOUNT_INVALID. */
export type AmountProblem = { readonly missing: true } | { readonly missing: false; readonly reason: string };

const MISSING: AmountProblem = { missing: true };
const problem = (reason: string): AmountProblem => ({ missing: false, reason });
const NOT_PLAIN_DECIMAL = problem('must be a plain non-negative decimal (digits with an optional fraction; no sign or exponent)');
const TOO_MANY_INTEGER_DIGITS = problem(`has more than ${MAX_INTEGER_DIGITS} integer digits (NCHL amounts are decimal(14,2))`);

/**
 * The canonical text of an amount inside a token string: its exact decimal value with exactly two
 * fraction digits (docs/npi-reference.md "Signature token strings", decided): `100`, `100.0` and `"100.00"`
 * all give `100.00`, `"0100.5"` gives `100.50`. Never goes through floating-point arithmetic.
 *
 * Accepted text is digits with an optional `.` and digits: no sign, exponent, whitespace, grouping,
 * `.5` or `5.`. Each of those is a second spelling of one value; one amount must have one string.
 *
 * @param field path of the field in the request, used only in the error.
 * @throws TokenStringError `ERR_AMOUNT_INVALID` for anything else: negative, NaN, Infinity,
 *   exponent forms, more than two non-zero fraction digits (`100.005`), more than 14 integer
 *   digits, a JSON number of 2^46 or more; `ERR_FIELD_MISSING` when absent.
 */
export function canonicalAmount(value: unknown, field = 'amount'): string {
  const result = parseAmount(value);
  if (typeof result === 'string') return result;
  throw amountError(result, field);
}

/**
 * An amount as integer paisa (hundredths of a rupee), for exact sums and comparisons: never floating
 * point. The text must be an amount `canonicalAmount` accepts (its own output, or PostgreSQL's
 * `numeric(16,2)` text), so a sub-paisa amount (`1.005`) is refused rather than rounded, and so are
 * signs, exponents, whitespace and more than 14 integer digits.
 *
 * @param field path of the field, used only in the error.
 * @throws TokenStringError as `canonicalAmount`: `ERR_AMOUNT_INVALID`, or `ERR_FIELD_MISSING` for `''`.
 */
export function amountToPaisa(amount: string, field = 'amount'): bigint {
  // `12.34` -> `1234`: the canonical text always has exactly two fraction digits.
  return BigInt(canonicalAmount(amount, field).replace('.', ''));
}

/**
 * Integer paisa back to amount text with exactly two fraction digits (`1234n` -> `"12.34"`,
 * `-150n` -> `"-1.50"`): the form `canonicalAmount` gives and PostgreSQL's `numeric(16,2)` takes.
 */
export function paisaToAmount(value: bigint): string {
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  return `${negative ? '-' : ''}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

export function amountError(result: AmountProblem, field: string): TokenStringError {
  return result.missing
    ? new TokenStringError('ERR_FIELD_MISSING', field, `${field} is required`)
    : new TokenStringError('ERR_AMOUNT_INVALID', field, `${field} ${result.reason}`);
}

/** `canonicalAmount` without the error: the canonical text, or why not (paths built only on failure). */
export function parseAmount(value: unknown): string | AmountProblem {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return problem('is not a finite number');
    if (value < 0 || Object.is(value, -0)) return problem('is negative');
    // Whole numbers, the usual case in NCHL's JSON: no text to parse.
    if (Number.isInteger(value)) return value < INTEGER_LIMIT ? `${value}.00` : TOO_MANY_INTEGER_DIGITS;
    if (value >= LARGEST_EXACT_NUMBER) {
      return problem('is too large to be carried exactly by a JSON number; send it as a decimal string');
    }
    // Shortest round-trip text: exact below 2^46 (see above); exponent forms (1e-7) fail the grammar.
    return parseDecimalText(String(value));
  }
  if (typeof value === 'string') return value.length === 0 ? MISSING : parseDecimalText(value);
  if (value === undefined || value === null) return MISSING;
  return problem('must be a decimal number or decimal string');
}

function parseDecimalText(text: string): string | AmountProblem {
  const length = text.length;
  let point = -1;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x2e) {
      if (point !== -1) return NOT_PLAIN_DECIMAL;
      point = index;
    } else if (code < 0x30 || code > 0x39) {
      return NOT_PLAIN_DECIMAL;
    }
  }
  if (point === 0 || point === length - 1) return NOT_PLAIN_DECIMAL; // `.5`, `5.`
  const integerEnd = point === -1 ? length : point;
  let integerStart = 0;
  while (integerStart < integerEnd - 1 && text.charCodeAt(integerStart) === 0x30) integerStart++;
  if (integerEnd - integerStart > MAX_INTEGER_DIGITS) return TOO_MANY_INTEGER_DIGITS;
  const integer = text.slice(integerStart, integerEnd);
  if (point === -1) return `${integer}.00`;
  let fractionEnd = length;
  while (fractionEnd > point + 1 && text.charCodeAt(fractionEnd - 1) === 0x30) fractionEnd--;
  const fractionDigits = fractionEnd - point - 1;
  if (fractionDigits > 2) return problem(`has ${fractionDigits} significant fraction digits; at most 2 are allowed`);
  if (fractionDigits === 2) return `${integer}.${text.slice(point + 1, fractionEnd)}`;
  if (fractionDigits === 1) return `${integer}.${text[point + 1]}0`;
  return `${integer}.00`;
}
