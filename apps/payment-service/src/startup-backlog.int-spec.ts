/**
 * A new deployment reading topics with a large backlog (a new consumer group replays them from the
 * beginning) starts and becomes ready: startup steps (onStarted: the directory bootstrap) never
 * wait behind the replay for a database connection, and every event is still applied once.
 *
 * The backlog's handlers are made slow on purpose: this test holds the rows their first statement
 * inserts (the processed-event marks, uncommitted) until the service has started, as a saturated
 * database would, and then checks that every event is applied exactly once. Whether the old start
 * order fails here depends on when the new group's first fetch lands; the order itself (consumers
 * only after onStarted, readiness red until then) is proven by libs/service-runtime's
 * start-service.int-spec.ts, and the bound on concurrent handlers by the messaging lib's tests.
 *
 * The backlog stays on the shared test broker, where every later test whose new consumer group
 * reads `billers.bill.prepared.v1` from the beginning replays it first: 300 events hold every
 * handler permit and pooled connection as well as 3,000 did (payment-service's pool is 10); 3,000
 * made such a test replay for longer than it waits for its own event.
 */
import { randomUUID } from 'node:crypto';
import { createPrismaClient } from '@npi/database';
import { BillersBillPreparedV1, encodeEvent } from '@npi/kafka-contracts';
import { KafkaBroker } from '@npi/messaging';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import { startLocalIssuer, startPaymentService } from '../test/support/payment-harness';
import type { LocalIssuer } from '../test/support/payment-harness';

const BACKLOG = 300;

describe('payment-service startup behind a Kafka backlog', () => {
  let issuer: LocalIssuer;
  let service: RunningService | undefined;
  const db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL as string, poolSize: 2 });

  beforeAll(async () => {
    issuer = await startLocalIssuer();
  });
  afterAll(async () => {
    await service?.stop();
    await issuer.close();
    await db.$disconnect();
  });

  it('starts, becomes ready and applies every event of a new group\'s backlog exactly once', async () => {
    const prefix = `backlog-${randomUUID().slice(0, 8)}`;
    const participantCode = `P${randomUUID().slice(0, 8)}`;
    const eventIds = Array.from({ length: BACKLOG }, () => randomUUID());
    const producer = new KafkaBroker({ brokers: [process.env.KAFKA_BROKERS as string], clientId: 'backlog-test' });
    try {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      for (let start = 0; start < BACKLOG; start += 100) {
        const messages = eventIds.slice(start, start + 100).map((eventId, index) =>
          encodeEvent(
            BillersBillPreparedV1,
            { participantCode, sessionId: `s-${eventId}`, batchId: `B${start + index}`, instructionId: `I${start + index}`, amount: '100.00', currency: 'NPR', billerCode: 'BILLER', expiresAt },
            { producer: 'session-service', key: `${participantCode}:${start + index}`, eventId },
          ),
        );
        await producer.publish(BillersBillPreparedV1.topic, messages);
      }
    } finally {
      await producer.close();
    }

    const group = `${prefix}.bill-prepared`;
    let started: Awaited<ReturnType<typeof startPaymentService>> | undefined;
    const rollback = new Error('rollback');
    await db
      .$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe('INSERT INTO payment.processed_event (consumer, event_id) SELECT $1, unnest($2::text[])', group, eventIds);
          started = await startPaymentService(issuer, { extraEnv: { KAFKA_CONSUMER_GROUP_PREFIX: prefix } });
          // The marks are rolled back: the handlers waiting on them go on and apply every event.
          throw rollback;
        },
        { timeout: 120_000 },
      )
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    service = started?.service;
    if (!service) throw new Error('payment-service did not start');

    await eventually(async () => expect((await fetch(`${service!.url}/health/ready`)).status).toBe(200), { timeoutMs: 60_000, intervalMs: 200 });
    // The topic may hold other runs' events too (the new group replays them as well): count this test's.
    const count = async (sql: string, ...values: unknown[]) => (await db.$queryRawUnsafe<{ n: number }[]>(sql, ...values))[0].n;
    await eventually(async () => expect(await count('SELECT count(*)::int AS n FROM payment.processed_event WHERE consumer = $1 AND event_id = ANY($2)', group, eventIds)).toBe(BACKLOG), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    expect(await count('SELECT count(*)::int AS n FROM payment.prepared_bill WHERE participant_code = $1', participantCode)).toBe(BACKLOG);
  }, 240_000);
});
