/**
 * The relay's batch pipeline over an in-memory outbox table (row locks held until a transaction
 * ends, as FOR UPDATE SKIP LOCKED does): a batch is marked published while the next one is claimed
 * and sent, sends stay in order, and a marking that fails leaves its rows to be sent again.
 */
import type { MessageBroker, OutgoingMessage } from '@npi/messaging';
import type { PrismaClient } from '../prisma-client';
import { OutboxRelay } from './outbox-relay';

interface Row {
  id: string;
  publishedAt: boolean;
  lockedBy?: number;
}

class FakeOutbox {
  readonly rows: Row[] = [];
  /** Resolvers of markings held back by the test, in order. */
  readonly heldMarks: (() => void)[] = [];
  holdMarks = false;
  failNextMark = false;
  private nextTx = 1;

  add(count: number): void {
    for (let i = 0; i < count; i += 1) this.rows.push({ id: `row-${this.rows.length + 1}`, publishedAt: false });
  }

  get prisma(): PrismaClient {
    const $transaction = async (work: (tx: unknown) => Promise<unknown>) => {
      const txId = this.nextTx++;
      const tx = {
        $queryRawUnsafe: async (_sql: string, limit: number) => {
          const claimed = this.rows.filter((row) => !row.publishedAt && row.lockedBy === undefined).slice(0, limit);
          for (const row of claimed) row.lockedBy = txId;
          return claimed.map((row) => ({ id: row.id, topic: 'topic.v1', key: row.id, payload: { id: row.id }, headers: {}, waited: 0.001 }));
        },
        $executeRawUnsafe: async (_sql: string, ids: string[]) => {
          if (this.holdMarks) await new Promise<void>((resolve) => this.heldMarks.push(resolve));
          if (this.failNextMark) {
            this.failNextMark = false;
            throw new Error('connection lost');
          }
          for (const row of this.rows) if (ids.includes(row.id)) row.publishedAt = true;
          return ids.length;
        },
      };
      try {
        return await work(tx);
      } finally {
        // Commit or rollback: the transaction's row locks go.
        for (const row of this.rows) if (row.lockedBy === txId) row.lockedBy = undefined;
      }
    };
    return { $transaction, $queryRawUnsafe: async () => [{ pending: this.rows.filter((row) => !row.publishedAt).length }] } as unknown as PrismaClient;
  }
}

function recordingBroker(): { broker: MessageBroker; sent: string[] } {
  const sent: string[] = [];
  const broker = {
    publish: async (_topic: string, messages: readonly OutgoingMessage[]) => {
      for (const message of messages) sent.push(message.key ?? '');
    },
  } as unknown as MessageBroker;
  return { broker, sent };
}

describe('OutboxRelay batch pipeline', () => {
  it('claims and sends the next batch while the one before is still being marked, in order', async () => {
    const outbox = new FakeOutbox();
    outbox.add(5);
    const { broker, sent } = recordingBroker();
    const claimedBatches: number[] = [];
    const relay = new OutboxRelay({ prisma: outbox.prisma, schema: 'hcx', broker, batchSize: 2, onClaimed: (waited) => claimedBatches.push(waited.length) });
    outbox.holdMarks = true;
    const flushed = relay.flush();
    // The first batch's marking is held: the second batch is claimed (its locks skip the first
    // batch's rows) and sent meanwhile; the third waits until the first marking is done.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toEqual(['row-1', 'row-2', 'row-3', 'row-4']);
    expect(outbox.rows.filter((row) => row.publishedAt)).toHaveLength(0);
    outbox.holdMarks = false;
    while (outbox.heldMarks.length > 0) outbox.heldMarks.shift()?.();
    await expect(flushed).resolves.toBe(5);
    expect(sent).toEqual(['row-1', 'row-2', 'row-3', 'row-4', 'row-5']);
    expect(claimedBatches).toEqual([2, 2, 1]);
    expect(outbox.rows.every((row) => row.publishedAt && row.lockedBy === undefined)).toBe(true);
  });

  it('sends a batch again when marking it failed after the ack (at least once), and reports the failure', async () => {
    const outbox = new FakeOutbox();
    outbox.add(2);
    const { broker, sent } = recordingBroker();
    const errors: unknown[] = [];
    const relay = new OutboxRelay({ prisma: outbox.prisma, schema: 'hcx', broker, batchSize: 10, onError: (error) => errors.push(error) });
    outbox.failNextMark = true;
    await relay.flush();
    expect(sent).toEqual(['row-1', 'row-2']);
    expect(errors).toEqual([new Error('connection lost')]);
    expect(outbox.rows.some((row) => row.publishedAt)).toBe(false);
    await expect(relay.backlog()).resolves.toBe(2);

    await expect(relay.flush()).resolves.toBe(2);
    expect(sent).toEqual(['row-1', 'row-2', 'row-1', 'row-2']);
    await expect(relay.backlog()).resolves.toBe(0);
  });

  it('marks nothing and keeps the rows when the send fails', async () => {
    const outbox = new FakeOutbox();
    outbox.add(3);
    const broker = { publish: async () => Promise.reject(new Error('broker down')) } as unknown as MessageBroker;
    const relay = new OutboxRelay({ prisma: outbox.prisma, schema: 'hcx', broker });
    await expect(relay.flush()).rejects.toThrow('broker down');
    expect(outbox.rows.every((row) => !row.publishedAt && row.lockedBy === undefined)).toBe(true);
  });
});
