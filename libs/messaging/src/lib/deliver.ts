import { deadLetterTopicOf } from '@npi/kafka-contracts';
import type { HandedOff, IncomingMessage, MessageHandler, OutgoingMessage } from '../broker.port';
import { isPoison } from '../errors';

export interface DeliveryPolicy {
  maxAttempts: number;
  retryBackoffMs: number;
  publishDeadLetter(topic: string, message: OutgoingMessage): Promise<void>;
  onDeadLetter?(message: IncomingMessage, reason: string): void;
  sleep?(ms: number): Promise<void>;
  /**
   * An error saying a dependency is away (the database cannot be reached): the message is tried
   * again with backoff (capped at `maxTransientBackoffMs`) for as long as that lasts and is never
   * dead-lettered for it; such tries do not count against `maxAttempts`.
   */
  isTransient?(error: unknown): boolean;
  /** False once the consumer stops: a message failing transiently is then left uncommitted (delivered again). */
  isRunning?(): boolean;
  maxTransientBackoffMs?: number;
}

/** Backoff before the n-th (1-based) retry of a transient failure. */
export function transientBackoffMs(policy: Pick<DeliveryPolicy, 'retryBackoffMs' | 'maxTransientBackoffMs'>, n: number): number {
  return Math.min(policy.retryBackoffMs * 2 ** Math.min(n - 1, 16), policy.maxTransientBackoffMs ?? 5_000);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the handler with retries; dead-letters poison messages and exhausted retries. Resolves when
 * the message may be committed. If even the dead-letter publish fails it throws, so the adapter
 * does not commit and the message is delivered again: nothing accepted is lost. A transient
 * failure (see `DeliveryPolicy.isTransient`) is retried until it passes or the consumer stops
 * (then it throws: not committed, delivered again), never dead-lettered: a message is not poison
 * because the database was away while it was read.
 */
export async function deliverWithRetries(message: Omit<IncomingMessage, 'attempt'>, handler: MessageHandler, policy: DeliveryPolicy): Promise<void | HandedOff> {
  const sleep = policy.sleep ?? defaultSleep;
  let lastError: unknown;
  let transientFailures = 0;
  for (let attempt = 1; attempt <= policy.maxAttempts; ) {
    try {
      return await handler({ ...message, attempt });
    } catch (error) {
      lastError = error;
      if (isPoison(error)) break;
      if (policy.isTransient?.(error)) {
        if (policy.isRunning?.() === false) throw error;
        transientFailures += 1;
        await sleep(transientBackoffMs(policy, transientFailures));
        continue;
      }
      if (attempt < policy.maxAttempts) await sleep(policy.retryBackoffMs * 2 ** (attempt - 1));
      attempt += 1;
    }
  }
  await deadLetter(message, lastError, policy);
}

/** Publishes the message to `<topic>.dlq` with the reason in headers; throws if even that fails. */
export async function deadLetter(message: Omit<IncomingMessage, 'attempt'>, error: unknown, policy: Pick<DeliveryPolicy, 'maxAttempts' | 'publishDeadLetter' | 'onDeadLetter'>): Promise<void> {
  const reason = describe(error);
  policy.onDeadLetter?.({ ...message, attempt: policy.maxAttempts }, reason);
  await policy.publishDeadLetter(deadLetterTopicOf(message.topic), {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      'dlq-reason': reason.slice(0, 512),
      'dlq-original-topic': message.topic,
      'dlq-original-partition': String(message.partition),
      'dlq-original-offset': message.offset,
    },
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${(error as { code?: string }).code ?? error.name}: ${error.message}`;
  return String(error);
}
