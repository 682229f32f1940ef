/** What `npm start` prints: never a secret, only where the secrets are. */
const SECRET_FIELD = /secret|password|passphrase|private_?key|token$|kek/i;
/** Fields that name where a secret lives (a file, a URL) rather than holding it. */
const LOCATION_FIELD = /(file|path|url|dir|kid|id)$/i;

/**
 * Console output is collected by terminals, CI logs and screen shares: every secret value found in
 * the demo credentials (whatever a hook put in its examples) is replaced by where to read it.
 */
export function withoutSecrets(text: string, credentials: unknown, credentialsFile: string): string {
  const secrets = new Map<string, string>();
  const visit = (value: unknown, key: string, trail: string): void => {
    if (typeof value === 'string') {
      if (SECRET_FIELD.test(key) && !LOCATION_FIELD.test(key) && value.length >= 8 && !value.startsWith('<')) secrets.set(value, trail);
      return;
    }
    if (Array.isArray(value)) return value.forEach((item, index) => visit(item, key, `${trail}[${index}]`));
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k, trail ? `${trail}.${k}` : k);
  };
  visit(credentials, '', '');
  let shown = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const [secret, trail] of [...secrets].sort(([a], [b]) => b.length - a.length)) {
    shown = shown.split(secret).join(`<${trail} in ${credentialsFile}>`);
  }
  return shown;
}
