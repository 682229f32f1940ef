/** Thrown by a handler for a message that can never be processed: dead-lettered without retries. */
export class PoisonMessageError extends Error {
  readonly code = 'ERR_POISON_MESSAGE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export function isPoison(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_POISON_MESSAGE' || code === 'ERR_CONTRACT_VIOLATION';
}
