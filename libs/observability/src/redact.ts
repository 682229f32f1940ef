/**
 * Deep redaction for everything that reaches a log line: secrets are removed by key wherever they
 * appear (any depth, any casing), and PEM private keys or JWS/JWE-looking values are removed even
 * under innocent keys.
 */
export const REDACTED = '[REDACTED]';

const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|password|passphrase|pfx|pfx_?password|pfxPassphrase|client_?secret|clientSecret|secret|refresh_?token|refreshToken|access_?token|accessToken|id_?token|token|api_?key|apiKey|private_?key|privateKey|kek|encryption_?key|x-api-key|[a-z0-9_]*_password|[a-z0-9_]*_passphrase)$/i;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const COMPACT_JOSE = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g;
const SECRET_QUERY = /([?&](?:token|access_token|refresh_token|client_secret|password|session_token)=)[^&#\s]*/gi;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactString(value: string): string {
  return value.replace(PRIVATE_KEY_PEM, REDACTED).replace(SECRET_QUERY, `$1${REDACTED}`).replace(COMPACT_JOSE, REDACTED);
}

export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > 12) return REDACTED as T;
  if (typeof value === 'string') return redactString(value) as T;
  if (Buffer.isBuffer(value)) return REDACTED as T;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1)) as T;
  if (value && typeof value === 'object') {
    if (value instanceof Error) {
      return { type: value.name, message: redactString(value.message), code: (value as { code?: unknown }).code, stack: value.stack ? redactString(value.stack) : undefined } as T;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1);
    }
    return out as T;
  }
  return value;
}
