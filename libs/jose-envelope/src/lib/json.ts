// fatal: invalid UTF-8 is an error, not U+FFFD; ignoreBOM: a BOM stays in the text and JSON.parse
// refuses it (RFC 8259 section 8.1: do not add a BOM to JSON text).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type JsonObject = Record<string, unknown>;

/**
 * UTF-8 JSON text whose top level is an object, or undefined. A member name given twice in any
 * object is refused: JSON.parse keeps the last, other parsers the first, and a token whose claims
 * depend on the parser must not be believed by any.
 */
export function parseJsonObject(bytes: Uint8Array): JsonObject | undefined {
  let value: unknown;
  try {
    const text = utf8.decode(bytes);
    value = JSON.parse(text);
    if (hasDuplicateMembers(text)) return undefined;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as JsonObject;
}

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Whether any object in `text` names a member twice (names compared after unescaping); text that is not JSON has none. */
export function hasDuplicateMembers(text: string): boolean {
  const objects: (Set<string> | null)[] = [];
  let expectName = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) return false;
      const top = objects[objects.length - 1];
      if (top && expectName) {
        let name: string;
        try {
          name = JSON.parse(text.slice(index, end + 1)) as string;
        } catch {
          return false;
        }
        if (top.has(name)) return true;
        top.add(name);
        expectName = false;
      }
      index = end;
    } else if (char === '{') {
      objects.push(new Set());
      expectName = true;
    } else if (char === '[') {
      objects.push(null);
    } else if (char === '}' || char === ']') {
      objects.pop();
    } else if (char === ',') {
      expectName = objects[objects.length - 1] instanceof Set;
    }
  }
  return false;
}
