import { amountError, parseAmount } from '../amount';
import { TokenStringError } from '../errors';

/**
 * Where a field sits in a request, for error messages: `parent.name` or `parent[index].name`.
 * Built only when a field is refused, never on the success path (10,000 transactions have 50,000
 * fields).
 */
export function fieldPath(name: string, parent?: string, index?: number): string {
  if (parent === undefined) return name;
  return index === undefined ? `${parent}.${name}` : `${parent}[${index}].${name}`;
}

/** Any UTF-16 surrogate: a cheap pre-check before the exact lone-surrogate test. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
/**
 * Lone UTF-16 surrogates. UTF-8 encoding replaces each with U+FFFD, so `"a\uD800"` and
 * `"a\uFFFD"` would sign the same bytes: a signature over one would verify the other.
 */
const LONE_SURROGATE = /\p{Cs}/u;

function hasLoneSurrogate(value: string): boolean {
  return ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value);
}

/** Reads an object-valued part of a body (`cipsBatchDetail`, a list entry, ...). */
export function objectField(value: unknown, name: string, parent?: string, index?: number): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  const field = index === undefined ? fieldPath(name, parent) : `${name}[${index}]`;
  if (value === undefined || value === null) {
    throw new TokenStringError('ERR_FIELD_MISSING', field, `${field} is required`);
  }
  throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must be an object`);
}

/** Reads an array-valued part of a body, with its allowed number of entries. */
export function listField(value: unknown, field: string, min: number, max: number): readonly unknown[] {
  if (value === undefined || value === null) {
    throw new TokenStringError('ERR_FIELD_MISSING', field, `${field} is required`);
  }
  if (!Array.isArray(value)) {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must be an array`);
  }
  if (value.length < min || value.length > max) {
    const range = min === max ? `exactly ${min}` : `${min} to ${max}`;
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must have ${range} entries, not ${value.length}`);
  }
  return value;
}

/** A text field of a token string: a non-empty string that cannot break the comma framing. */
export function textField(value: unknown, name: string, parent?: string, index?: number): string {
  if (typeof value === 'string' && value.length > 0 && !value.includes(',') && !hasLoneSurrogate(value)) return value;
  const field = fieldPath(name, parent, index);
  if (value === undefined || value === null || value === '') {
    throw new TokenStringError('ERR_FIELD_MISSING', field, `${field} is required`);
  }
  if (typeof value !== 'string') {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must be a string`);
  }
  return checkedText(value, field);
}

/** Like `textField`, but absent, null or empty gives an empty field (statuses in responses). */
export function optionalTextField(value: unknown, name: string, parent?: string, index?: number): string {
  if (value === undefined || value === null || value === '') return '';
  return textField(value, name, parent, index);
}

/** A text field that NCHL's JSON also carries as a number (Billers `id`): integers only. */
export function identifierField(value: unknown, name: string, parent?: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      const field = fieldPath(name, parent);
      throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must be a non-negative integer or a string`);
    }
    return String(value);
  }
  return textField(value, name, parent);
}

/** An amount field, canonicalised (see `canonicalAmount`). */
export function amountField(value: unknown, name: string, parent?: string, index?: number): string {
  const result = parseAmount(value);
  if (typeof result === 'string') return result;
  throw amountError(result, fieldPath(name, parent, index));
}

/** Rules shared by every field, and by whole token strings handed to `sign`/`verify`. */
export function checkedText(value: string, field: string, allowComma = false): string {
  // A comma inside a field would shift every later field: `a,b` + `c` and `a` + `b,c` sign the same.
  if (!allowComma && value.includes(',')) {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must not contain a comma (it separates the token string's fields)`);
  }
  if (hasLoneSurrogate(value)) {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} is not well-formed Unicode (lone surrogate)`);
  }
  return value;
}
