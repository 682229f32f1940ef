import { AsyncLocalStorage } from 'node:async_hooks';

interface LogContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` with a correlation id that every log line written inside it carries (the logger's
 * mixin reads it), across awaits: one HTTP request, or one Kafka event handled.
 */
export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

/** The correlation id of the request or event being handled, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
