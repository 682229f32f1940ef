/**
 * Golden-shape comparison: does an answer have the same JSON shape as a published sample? Key by
 * key (every key of the sample present, no key the sample lacks unless allowed) and type by type
 * (string, number, boolean, object, array), recursively; array elements are compared with the
 * sample's elements. `null` is compatible with every type in both directions: the published samples
 * themselves show the same field as `null` in one sample and typed in another (a Java/Jackson
 * server writes `null` for an absent value of any type, so a member's parser already accepts it).
 * Strings in the sample that look like dates or timestamps fix the format of the answer's string.
 */
export interface ShapeOptions {
  /** Extra keys the answer may carry beyond the sample, as paths (`token`, `[].token`, `cipsBatchDetail.x`); `*` allows any extra key. */
  allowExtra?: readonly string[];
}

export type JsonType = 'null' | 'string' | 'number' | 'boolean' | 'object' | 'array';

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  if (type === 'object') return 'object';
  throw new Error(`not a JSON value: ${type}`);
}

/** Formats recognised in sample strings: the answer's string must have the same one. */
const STRING_FORMATS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'date YYYY-MM-DD', pattern: /^\d{4}-\d{2}-\d{2}$/ },
  { name: 'timestamp YYYY-MM-DDTHH:mm:ss.SSS+0000', pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/ },
  { name: 'timestamp YYYY-MM-DD HH:mm:ss', pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/ },
  { name: 'Java Date.toString (EEE MMM dd HH:mm:ss zzz yyyy)', pattern: /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [A-Z]{2,5} \d{4}$/ },
];

/** Every difference between the answer's shape and the sample's, as readable lines (empty: same shape). */
export function shapeDifferences(sample: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  const differences: string[] = [];
  const allowed = new Set(options.allowExtra ?? []);
  compare(sample, actual, '', differences, allowed);
  return differences;
}

function compare(sample: unknown, actual: unknown, path: string, out: string[], allowed: ReadonlySet<string>): void {
  const expected = jsonTypeOf(sample);
  const got = jsonTypeOf(actual);
  const at = path || '(root)';
  if (expected === 'null' || got === 'null') return;
  if (expected !== got) {
    out.push(`${at}: expected ${expected} (sample ${JSON.stringify(sample)}), got ${got} (${JSON.stringify(actual)})`);
    return;
  }
  if (expected === 'string') {
    const format = STRING_FORMATS.find((f) => f.pattern.test(sample as string));
    if (format && !format.pattern.test(actual as string)) out.push(`${at}: expected the format ${format.name} (sample ${JSON.stringify(sample)}), got ${JSON.stringify(actual)}`);
    return;
  }
  if (expected === 'array') {
    const samples = sample as unknown[];
    if (samples.length === 0) return;
    (actual as unknown[]).forEach((element, index) => {
      // Elements are alike in NCHL's samples; compare with the sample element of the same index or the first.
      compare(samples[Math.min(index, samples.length - 1)], element, `${path}[${index}]`, out, allowed);
    });
    return;
  }
  if (expected === 'object') {
    const sampleObject = sample as Record<string, unknown>;
    const actualObject = actual as Record<string, unknown>;
    for (const key of Object.keys(sampleObject)) {
      const child = path ? `${path}.${key}` : key;
      if (!(key in actualObject)) {
        out.push(`${child}: missing (sample ${JSON.stringify(sampleObject[key])})`);
        continue;
      }
      compare(sampleObject[key], actualObject[key], child, out, allowed);
    }
    const generic = path.replace(/\[\d+\]/g, '[]');
    for (const key of Object.keys(actualObject)) {
      if (key in sampleObject) continue;
      const child = generic ? `${generic}.${key}` : key;
      if (allowed.has('*') || allowed.has(child) || allowed.has(key)) continue;
      out.push(`${path ? `${path}.${key}` : key}: not in the sample`);
    }
  }
}

/** Jest-friendly: throws with every difference listed. */
export function expectSameShape(sample: unknown, actual: unknown, options: ShapeOptions = {}): void {
  const differences = shapeDifferences(sample, actual, options);
  if (differences.length > 0) throw new Error(`answer differs from the sample's shape:\n  ${differences.join('\n  ')}`);
}
