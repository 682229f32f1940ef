/**
 * Reads what the packaging must provide out of an app's `src/config.ts` (a zod schema built on
 * `serviceBaseSchema.extend({...})`) without running it: the default port, the declared settings,
 * which of them are required, and which are secrets. Source-level on purpose: the apps' configs
 * are written by other teams and this keeps deploy/ and docker-compose.yml in step with them.
 */
export interface AppConfigFacts {
  defaultPort: number | undefined;
  /** Every setting the app's schema declares on top of serviceBaseSchema. */
  settings: Set<string>;
  /** Each entry is satisfied by any one of its names (e.g. `X` or `X_FILE`). */
  required: string[][];
  /** Declared with secretString(...). */
  declaredSecrets: Set<string>;
}

const SETTING = /^[ \t]+([A-Z][A-Z0-9_]*)\s*:/gm;
/** Modifiers that make a setting optional or defaulted. */
const NOT_REQUIRED = /optional|\.default\(|\bport\(|booleanFlag\(|commaList/;

export function analyseConfigSource(source: string): AppConfigFacts {
  const defaultPort = /\bPORT\s*:\s*port\((\d+)\)/.exec(source)?.[1];
  const settings = new Set<string>();
  const required: string[][] = [];
  const declaredSecrets = new Set<string>();

  const matches = [...source.matchAll(SETTING)];
  matches.forEach((match, index) => {
    const name = match[1];
    // The declaration runs to the next setting (multi-line zod chains included).
    const end = index + 1 < matches.length ? matches[index + 1].index : source.length;
    const declaration = source.slice((match.index ?? 0) + match[0].length, end);
    settings.add(name);
    if (/secretString\(/.test(declaration)) declaredSecrets.add(name);
    if (isRequired(source, declaration)) required.push([name]);
  });
  // superRefine alternatives: "X or X_FILE is required".
  for (const match of source.matchAll(/([A-Z][A-Z0-9_]*) or ([A-Z][A-Z0-9_]*) is required/g)) {
    required.push([match[1], match[2]]);
  }
  return { defaultPort: defaultPort === undefined ? undefined : Number(defaultPort), settings, required, declaredSecrets };
}

const REQUIRED_MARKERS = /requiredString\(|secretString\(|required_error|is required/;

function isRequired(source: string, declaration: string): boolean {
  const firstLine = declaration.split('\n')[0].trim();
  if (/requiredString\(|secretString\(/.test(firstLine)) return true;
  // A schema defined elsewhere in the file (`HCX_KEKS: keks,`, `cidrList('X')`): judged by its
  // definition, required only when it says so.
  const helper = /^([a-z][A-Za-z0-9_]*)\s*(?:,|\(|$)/.exec(firstLine)?.[1];
  if (helper && !['port', 'booleanFlag', 'commaList', 'optionalString', 'z'].includes(helper)) {
    const definition = new RegExp(`^const ${helper}\\b[\\s\\S]*?(?=^(?:const|export|function|/\\*\\*)\\b|(?![\\s\\S]))`, 'm').exec(source)?.[0] ?? '';
    return REQUIRED_MARKERS.test(definition);
  }
  return !NOT_REQUIRED.test(firstLine);
}

/**
 * Whether a variable holds a secret value (never a ConfigMap entry or a literal in compose).
 * `*_FILE` settings hold a path to a secret file, not the secret; ids, URLs and lifetimes are not
 * secrets even when their name mentions a key or a token. DATABASE_URL carries the password.
 */
export function isSecretName(name: string, declaredSecrets: ReadonlySet<string> = new Set()): boolean {
  if (declaredSecrets.has(name) || name === 'DATABASE_URL') return true;
  if (/_(FILE|FILES|DIR|KID|KID_PREVIOUS|ID|IDS|URL|TTL|LIFETIME|SECONDS|MS|ALG|ALGS|ALGORITHMS|LENGTH|BITS|NOTIFIER)$/.test(name)) return false;
  if (/(^|_)(RATE|LIMIT|MAX|MIN|WINDOW|RETRIES|TIMEOUT|THRESHOLD|COUNT)(_|$)/.test(name)) return false;
  return /(^|_)(SECRET|SECRETS|TOKEN|PASSWORD|PASSPHRASE|KEK|KEKS|KEY|KEYS|PFX|P12|PKCS12|PRIVATE|CREDENTIALS?)(_|$)/.test(name);
}
