/**
 * Exact origin matching (RFC 6454 section 4): scheme, host and port must all be equal; default
 * ports are made explicit so `https://a.example` equals `https://a.example:443`. No wildcards, no
 * suffix matching (`https://bank.example.evil` must not pass for `https://bank.example`), and the
 * literal `null` origin (sandboxed frames, file:) never matches.
 */
export function canonicalOrigin(value: string): string | undefined {
  const text = value.trim();
  if (text === '' || text === 'null') return undefined;
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
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${url.hostname}:${port}`;
}

export function isOriginAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) return false;
  const candidate = canonicalOrigin(origin);
  if (!candidate) return false;
  return allowedOrigins.some((allowed) => canonicalOrigin(allowed) === candidate);
}
