/**
 * Transactional outbox → real Kafka → idempotent consumer, against the real PostgreSQL and broker:
 * an event written by "auth" in its transaction reaches a consumer recording into "payment",
 * across a consumer restart, with nothing lost and nothing applied twice, and two relays running
 * at once never publish a row twice.
 */
import { randomUUID } from 'node:crypto';
import { AuthClientUpdatedV1, decodeEvent } from '@npi/kafka-contracts';
import { KafkaBroker, subscribeToEvent } from '@npi/messaging';
import type { IncomingMessage } from '@npi/messaging';
import { eventually } from '@npi/testing';
import { createPrismaClient } from '../prisma-client';
import type { PrismaClient } from '../prisma-client';
import { PrismaProcessedEventLog } from '../processed-event-log';
import { OutboxRelay } from './outbox-relay';
import { outboxRow } from './outbox-row';
import { PgNotifyWakeups } from './outbox-wakeups';
import { writeOutbox } from './write-outbox';

jest.setTimeout(120_000);

describe('outbox relay over the real broker', () => {
  let prisma: PrismaClient;
  let broker: KafkaBroker;
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');

  beforeAll(async () => {
    prisma = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 8 });
    broker = new KafkaBroker({ brokers, clientId: 'outbox-int-test' });
  });
  afterAll(async () => {
    await broker.close();
    await prisma.$disconnect();
  });

  async function writeClientUpdate(clientId: string, revision: number): Promise<string> {
    const row = outboxRow(AuthClientUpdatedV1, { clientId, revision, status: 'ACTIVE', allowedCidrs: ['10.0.0.0/8'] }, { producer: 'auth-service', key: clientId });
    // The business change and its event commit together (here the event alone stands for both).
    await prisma.$transaction(async (tx) => {
      await writeOutbox(tx, 'auth', [row]);
    });
    return row.id;
  }

  it('delivers each committed event once to an idempotent consumer across a restart', async () => {
    const clientId = `client-${randomUUID()}`;
    const groupId = `payment-service.client-cache.${randomUUID()}`;
    const processed = new PrismaProcessedEventLog(prisma, 'payment');
    const applied: number[] = [];
    const subscribe = () =>
      subscribeToEvent(broker, {
        groupId,
        contract: AuthClientUpdatedV1,
        processedEvents: processed,
        handler: async (event) => {
          if (event.data.clientId === clientId) applied.push(event.data.revision);
        },
      });
    const relay = new OutboxRelay({ prisma, schema: 'auth', broker, pollIntervalMs: 50 });
    await relay.start();

    let subscription = await subscribe();
    for (let revision = 1; revision <= 3; revision += 1) await writeClientUpdate(clientId, revision);
    await eventually(() => expect(applied).toEqual([1, 2, 3]), { timeoutMs: 60_000 });

    await subscription.close();
    for (let revision = 4; revision <= 6; revision += 1) await writeClientUpdate(clientId, revision);
    // Redelivery of an event already applied (same event id): must change nothing.
    const firstEvent = await prisma.authOutboxEvent.findFirstOrThrow({ where: { key: clientId }, orderBy: { createdAt: 'asc' } });
    await broker.publish(firstEvent.topic, [{ key: clientId, value: JSON.stringify(firstEvent.payload), headers: {} }]);
    subscription = await subscribe();
    await eventually(() => expect(applied).toEqual([1, 2, 3, 4, 5, 6]), { timeoutMs: 60_000 });
    // Give a duplicate a chance to show up before asserting it did not.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(applied).toEqual([1, 2, 3, 4, 5, 6]);

    const marks = await prisma.paymentProcessedEvent.count({ where: { consumer: groupId } });
    expect(marks).toBeGreaterThanOrEqual(6);
    const pending = await prisma.authOutboxEvent.count({ where: { key: clientId, publishedAt: null } });
    expect(pending).toBe(0);
    await subscription.close();
    await relay.stop();
  });

  it('wakes on the commit NOTIFY, not the poll, and never on a rolled-back write', async () => {
    const clientId = `client-${randomUUID()}`;
    const seen: number[] = [];
    const subscription = await subscribeToEvent(broker, {
      groupId: `outbox-notify-${randomUUID()}`,
      contract: AuthClientUpdatedV1,
      fromBeginning: true,
      handler: async (event) => {
        if (event.data.clientId === clientId) seen.push(event.data.revision);
      },
    });
    const relay = new OutboxRelay({ prisma, schema: 'auth', broker, pollIntervalMs: 3_600_000, wakeups: new PgNotifyWakeups(process.env.DATABASE_URL!) });
    await relay.start();
    try {
      await expect(
        prisma.$transaction(async (tx) => {
          await writeOutbox(tx, 'auth', [outboxRow(AuthClientUpdatedV1, { clientId, revision: 0, status: 'ACTIVE', allowedCidrs: [] }, { producer: 'auth-service', key: clientId })]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await writeClientUpdate(clientId, 1);
      await writeClientUpdate(clientId, 2);
      // The hour-long poll never fires here: only the NOTIFY of each commit can wake the relay.
      await eventually(() => expect(seen).toEqual([1, 2]), { timeoutMs: 30_000 });
    } finally {
      await relay.stop();
      await subscription.close();
    }
  });

  it('prunes published rows past the retention, and never an unpublished one however old', async () => {
    const old = await writeClientUpdate(`client-${randomUUID()}`, 1);
    const recent = await writeClientUpdate(`client-${randomUUID()}`, 1);
    const stuck = await writeClientUpdate(`client-${randomUUID()}`, 1);
    const table = 'auth.outbox_event';
    await prisma.$executeRawUnsafe(`UPDATE ${table} SET published_at = now() - interval '3 hours', created_at = now() - interval '3 hours' WHERE id = $1::uuid`, old);
    await prisma.$executeRawUnsafe(`UPDATE ${table} SET published_at = now() - interval '10 minutes' WHERE id = $1::uuid`, recent);
    await prisma.$executeRawUnsafe(`UPDATE ${table} SET created_at = now() - interval '30 days' WHERE id = $1::uuid`, stuck);
    const relay = new OutboxRelay({ prisma, schema: 'auth', broker, retainPublishedMs: 3_600_000 });

    expect(await relay.prunePublished()).toBeGreaterThanOrEqual(1);
    const left = await prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text AS id FROM ${table} WHERE id = ANY($1::uuid[])`, [old, recent, stuck]);
    expect(left.map((row) => row.id).sort()).toEqual([recent, stuck].sort());
    await prisma.$executeRawUnsafe(`DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, [recent, stuck]);
  });

  it('never publishes a row twice when two relays run at once', async () => {
    const clientId = `client-${randomUUID()}`;
    const ids = new Set<string>();
    for (let revision = 1; revision <= 40; revision += 1) ids.add(await writeClientUpdate(clientId, revision));
    const seen: string[] = [];
    const subscription = await broker.subscribe({
      groupId: `outbox-double-${randomUUID()}`,
      topics: [AuthClientUpdatedV1.topic],
      handler: async (message: IncomingMessage) => {
        const event = decodeEvent(AuthClientUpdatedV1, message.value);
        if (event.data.clientId === clientId) seen.push(event.eventId);
      },
    });
    const relayA = new OutboxRelay({ prisma, schema: 'auth', broker, batchSize: 5 });
    const relayB = new OutboxRelay({ prisma, schema: 'auth', broker, batchSize: 5 });
    await Promise.all([relayA.flush(), relayB.flush(), relayA.flush(), relayB.flush()]);
    await eventually(() => expect(new Set(seen).size).toBe(40), { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(seen).toHaveLength(40);
    expect(new Set(seen)).toEqual(ids);
    await subscription.close();
  });
});
