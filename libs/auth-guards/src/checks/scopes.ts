/** RFC 6749 section 3.3: a scope is a space-delimited list of case-sensitive strings. */
export function parseScope(scope: unknown): string[] {
  if (typeof scope !== 'string') return [];
  return [...new Set(scope.split(' ').filter((item) => item.length > 0))];
}

/** The required scopes that `granted` does not contain (empty when all are present). */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  const have = new Set(granted);
  return required.filter((scope) => !have.has(scope));
}
