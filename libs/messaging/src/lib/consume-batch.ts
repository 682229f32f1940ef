export interface BatchControl {
  /** Chains (keys) handled at once. */
  maxInFlight: number;
  /** False once the consumer stops or the partition was reassigned: start nothing new. */
  isRunning(): boolean;
  /** Marks `offset` (and everything before it) as done; only ever called for a contiguous prefix. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
}

interface BatchMessage {
  key?: string;
  offset: string;
}

/**
 * Handles one fetched partition batch: messages with the same key run one after another in offset
 * order; different keys (and unkeyed messages) run concurrently, at most `maxInFlight` at a time.
 * Offsets are resolved only as a contiguous prefix of handled messages, so a failure or a stop
 * leaves everything after the first unfinished message to be delivered again (at-least-once, never
 * skipped). The first handler failure stops new work and is rethrown once in-flight work settles.
 */
export async function consumeBatch<Message extends BatchMessage>(
  messages: readonly Message[],
  handle: (message: Message) => Promise<void>,
  control: BatchControl,
): Promise<void> {
  const chains = new Map<string, number[]>();
  const queue: number[][] = [];
  messages.forEach((message, index) => {
    if (message.key === undefined) {
      queue.push([index]);
      return;
    }
    const chain = chains.get(message.key);
    if (chain) chain.push(index);
    else {
      const created = [index];
      chains.set(message.key, created);
      queue.push(created);
    }
  });

  const done = new Array<boolean>(messages.length).fill(false);
  let nextToResolve = 0;
  let failure: { error: unknown } | undefined;
  const advance = () => {
    while (nextToResolve < messages.length && done[nextToResolve]) {
      control.resolveOffset(messages[nextToResolve].offset);
      nextToResolve += 1;
    }
  };
  const worker = async () => {
    for (let chain = queue.shift(); chain; chain = queue.shift()) {
      for (const index of chain) {
        if (failure || !control.isRunning()) return;
        try {
          await handle(messages[index]);
          done[index] = true;
          advance();
          await control.heartbeat();
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(control.maxInFlight, queue.length)) }, worker));
  if (failure) throw failure.error;
}
