import { TokenStringError } from '../errors';

/**
 * Lone UTF-16 surrogates. UTF-8 encoding replaces each with U+FFFD, so `"a\uD800"` and
 * `"a\uFFFD"` would sign the same bytes: a signature over one would verify the other.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** Reads an object-valued part of a body (`cipsBatchDetail`, a list entry, ...). */
export function objectField(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) {
    throw new TokenStringError('ERR_FIELD_MISSING', field, `${field} is required`);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must be an object`);
  }
  return value as Record<string, unknown>;
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

/**
 * A text field of a token string: a non-empty string that cannot break the comma framing.
 * @param optional when true, absent or null gives an empty field (used for response statuses).
 */
export function textField(value: unknown, field: string, optional = false): string {
  if (value === undefined || value === null || value === '') {
    if (optional) return '';
    throw new TokenStringError('ERR_FIELD_MISSING', field, `${field} is required`);
  }
  if (typeof value !== 'string') {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must be a string`);
  }
  return checkedText(value, field);
}

/** A text field that NCHL's JSON also carries as a number (Billers `id`): integers only. */
export function identifierField(value: unknown, field: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must be a non-negative integer or a string`);
    }
    return String(value);
  }
  return textField(value, field);
}

/** Rules shared by every field, and by whole token strings handed to `sign`/`verify`. */
export function checkedText(value: string, field: string, allowComma = false): string {
  // A comma inside a field would shift every later field: `a,b` + `c` and `a` + `b,c` sign the same.
  if (!allowComma && value.includes(',')) {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} must not contain a comma (it separates the token string's fields)`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw new TokenStringError('ERR_FIELD_INVALID', field, `${field} is not well-formed Unicode (lone surrogate)`);
  }
  return value;
}
