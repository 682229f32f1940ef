/**
 * The platform's one origin canonicaliser (RFC 6454 section 6.1 serialisation): `scheme://host[:port]`,
 * lower-case host, default port dropped, so `https://a.example:443` is `https://a.example`. What
 * session-service stores as a host app's origins, and what every comparison uses. No wildcards, no
 * path, query, fragment or credentials, http(s) only; the literal `null` origin (sandboxed frames,
 * file:) and anything malformed has no canonical form.
 */
export function canonicalOrigin(value: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text === 'null' || text.length > 255 || text.includes('*')) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // An Origin header never has a path, query, fragment or credentials; a configured origin must not either.
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return undefined;
  if (/\/./.test(text.replace(/^[a-z]+:\/\//i, ''))) return undefined;
  return url.origin;
}

/**
 * Exact origin matching: scheme, host and port must all be equal (`https://bank.example.evil` does
 * not pass for `https://bank.example`). A missing, `null` or malformed origin never matches.
 */
export function isOriginAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) return false;
  const candidate = canonicalOrigin(origin);
  if (!candidate) return false;
  return allowedOrigins.some((allowed) => canonicalOrigin(allowed) === candidate);
}
