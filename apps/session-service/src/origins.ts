/**
 * Exact origins (seed 000 section 3.4): `scheme://host[:port]`, lower-case, default port dropped,
 * no path, no wildcard. What the registry stores and what every comparison uses.
 */
export function normaliseOrigin(value: string): string | undefined {
  if (typeof value !== 'string' || value.length > 255 || value.includes('*')) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return undefined;
  return url.origin;
}

/** Is `origin` (a header value) exactly one of `allowed`? `null`, empty and malformed never are. */
export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false;
  const normalised = normaliseOrigin(origin);
  return normalised !== undefined && allowed.includes(normalised);
}
