/** Polls until `probe` stops throwing (or returns truthy); for asynchronous outcomes in tests. */
export async function eventually<T>(probe: () => T | Promise<T>, { timeoutMs = 15_000, intervalMs = 25 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== false) return value;
      lastError = new Error('probe returned false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
