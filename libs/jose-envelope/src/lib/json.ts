// fatal: invalid UTF-8 is an error, not U+FFFD; ignoreBOM: a BOM stays in the text and JSON.parse
// refuses it (RFC 8259 section 8.1: do not add a BOM to JSON text).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type JsonObject = Record<string, unknown>;

/** UTF-8 JSON text whose top level is an object, or undefined. */
export function parseJsonObject(bytes: Uint8Array): JsonObject | undefined {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as JsonObject;
}

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
