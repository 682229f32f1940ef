import { deadLetterTopicOf } from '@npi/kafka-contracts';
import type { HandedOff, IncomingMessage, MessageHandler, OutgoingMessage } from '../broker.port';
import { isPoison } from '../errors';

export interface DeliveryPolicy {
  maxAttempts: number;
  retryBackoffMs: number;
  publishDeadLetter(topic: string, message: OutgoingMessage): Promise<void>;
  onDeadLetter?(message: IncomingMessage, reason: string): void;
  sleep?(ms: number): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the handler with retries; dead-letters poison messages and exhausted retries. Resolves when
 * the message may be committed. If even the dead-letter publish fails it throws, so the adapter
 * does not commit and the message is delivered again: nothing accepted is lost.
 */
export async function deliverWithRetries(message: Omit<IncomingMessage, 'attempt'>, handler: MessageHandler, policy: DeliveryPolicy): Promise<void | HandedOff> {
  const sleep = policy.sleep ?? defaultSleep;
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
    try {
      return await handler({ ...message, attempt });
    } catch (error) {
      lastError = error;
      if (isPoison(error)) break;
      if (attempt < policy.maxAttempts) await sleep(policy.retryBackoffMs * 2 ** (attempt - 1));
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
