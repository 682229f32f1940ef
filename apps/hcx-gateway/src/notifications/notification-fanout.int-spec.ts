/**
 * Notification fan-out against the real PostgreSQL and Kafka: notify writes one api_call row and one
 * routed outbox row per subscriber, the relay publishes them and the gateway's dispatcher delivers
 * each one with an RS256 token for its recipient. A subscriber that has not answered yet holds up
 * only itself, a failing one is retried and dead-lettered, and the repository's guards (subscription
 * triple, notification correlation id, expiry notice) hold under concurrent callers.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, decodeJwt } from 'jose';
import { createPrismaClient } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { PrismaNotificationRepository } from '@npi/hcx/data-access';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import type { HcxGatewayConfig } from '../config';
import { createParticipant, startGateway } from '../../test/support/hcx-fixtures';
import type { TestParticipant } from '../../test/support/hcx-fixtures';
import { NotificationService } from './notification.service';
import type { NotificationActor } from './notification.service';

jest.setTimeout(120_000);

interface Arrival {
  path: string;
  body: Record<string, unknown>;
  aud: unknown;
}

/**
 * Subscribers that answer only once every one of them has its delivery (or after a safety delay):
 * with head-of-line blocking the deliveries would go out one after another, the first would wait
 * for the others that cannot come, and answer after the safety delay instead.
 */
class Barrier {
  private arrived = 0;
  private open = () => undefined as void;
  readonly opened = new Promise<'released'>((resolve) => (this.open = () => resolve('released')));
  constructor(private readonly expected: number) {}
  arrive(): void {
    this.arrived += 1;
    if (this.arrived === this.expected) this.open();
  }
}

/** One participant system: `waits` answers 202 once the barrier opens; `failing` always 503. */
async function system(behaviour: 'waits' | 'failing', barrier: Barrier) {
  const inbox: Arrival[] = [];
  const outcomes: ('released' | 'safety delay')[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      inbox.push({ path: req.url ?? '', body, aud: decodeJwt((req.headers.authorization ?? '').replace(/^Bearer /, '')).aud });
      if (behaviour === 'failing') return void res.writeHead(503).end();
      if (req.url !== '/notification/notify') return void res.writeHead(202).end('{}');
      barrier.arrive();
      const safety = new Promise<'safety delay'>((resolve) => setTimeout(() => resolve('safety delay'), 10_000).unref());
      void Promise.race([barrier.opened, safety]).then((outcome) => {
        outcomes.push(outcome);
        res.writeHead(202).end('{}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, inbox, outcomes };
}

describe('notification fan-out through the dispatcher (PostgreSQL + Kafka)', () => {
  let gateway: RunningService<HcxGatewayConfig>;
  let prisma: PrismaClient;
  let notifications: NotificationService;
  const systems: Awaited<ReturnType<typeof system>>[] = [];
  let payor: TestParticipant;
  let subscribers: { participant: TestParticipant; inbox: Arrival[]; behaviour: string }[];

  beforeAll(async () => {
    gateway = await startGateway({ HCX_DISPATCHER_ENABLED: 'true', HCX_DISPATCHER_GROUP_ID: `hcx-notify-int-${randomUUID()}`, HCX_DISPATCH_TIMEOUT_MS: '20000', HCX_DISPATCH_RETRIES: '2', HCX_DISPATCH_BACKOFF_MS: '50' });
    prisma = createPrismaClient({ databaseUrl: process.env.DATABASE_URL as string, poolSize: 4 });
    notifications = gateway.app.get(NotificationService, { strict: false });
    payor = await createParticipant(gateway.url, { role: 'payor' });
    subscribers = [];
    const barrier = new Barrier(3);
    for (const behaviour of ['waits', 'waits', 'waits', 'failing'] as const) {
      const target = await system(behaviour, barrier);
      systems.push(target);
      subscribers.push({ participant: await createParticipant(gateway.url, { role: 'provider', endpointUrl: target.url }), inbox: target.inbox, behaviour });
    }
  }, 180_000);
  afterAll(async () => {
    await gateway?.stop();
    await prisma?.$disconnect();
    await Promise.all(systems.map((s) => new Promise<void>((resolve) => s.server.close(() => resolve()))));
  }, 60_000);

  const actor = (participant: TestParticipant, role: string): NotificationActor => ({ kind: 'participant', participantCode: participant.code, roles: [role] });
  const topic = () => notifications.topicNamed('notif-payer-downtime').topic_code;

  it('delivers one notification per active subscriber, all at once (none waits for another), a failing one dead-lettered', async () => {
    for (const { participant } of subscribers) {
      const { subscription_id } = (await notifications.subscribe(actor(participant, 'provider'), { topic_code: topic(), sender_list: [payor.code] })).answer;
      await notifications.onSubscribe(actor(payor, 'payor'), { subscription_id, status: 1 });
    }
    const correlationId = randomUUID();
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ topic_code: topic(), message: 'down tonight' })))
      .setProtectedHeader({ alg: 'RS256', 'x-hcx-notification_headers': { sender_code: payor.code, timestamp: String(Date.now()), correlation_id: correlationId } })
      .sign(payor.keys.privateKey);
    const answer = await notifications.notify(actor(payor, 'payor'), { payload: jws });
    expect(answer.deliveries).toBe(4);

    const notified = (inbox: Arrival[]) => inbox.filter((m) => m.path === '/notification/notify' && m.body.payload === jws);
    await eventually(() => {
      for (const { inbox, behaviour } of subscribers) expect({ behaviour, got: notified(inbox).length > 0 }).toEqual({ behaviour, got: true });
    }, { timeoutMs: 60_000 });
    // Every waiting subscriber was released by the others' arrival, none by the safety delay.
    await eventually(() => expect(systems.slice(0, 3).flatMap((s) => s.outcomes)).toHaveLength(3), { timeoutMs: 30_000 });
    expect(systems.slice(0, 3).flatMap((s) => s.outcomes)).toEqual(['released', 'released', 'released']);
    for (const { participant, inbox } of subscribers) expect(notified(inbox)[0].aud).toBe(participant.code);

    const rows = async () =>
      prisma.$queryRawUnsafe<{ recipient_code: string; delivery_status: string; attempts: number }[]>(
        `SELECT recipient_code, delivery_status, attempts FROM "hcx"."api_call" WHERE correlation_id = $1 AND api_path = '/notification/notify' ORDER BY recipient_code`,
        correlationId,
      );
    await eventually(async () => {
      const states = Object.fromEntries((await rows()).map((row) => [row.recipient_code, row.delivery_status]));
      expect(states).toEqual(Object.fromEntries(subscribers.map(({ participant, behaviour }) => [participant.code, behaviour === 'failing' ? 'dead_lettered' : 'delivered'])));
    }, { timeoutMs: 60_000 });
    const failing = subscribers[3];
    expect(notified(failing.inbox)).toHaveLength(3);
    for (const { inbox, behaviour } of subscribers.slice(0, 3)) expect({ behaviour, deliveries: notified(inbox).length }).toEqual({ behaviour, deliveries: 1 });
    const audit = await prisma.$queryRawUnsafe<{ deliveries: number }[]>(`SELECT deliveries FROM "hcx"."notification" WHERE sender_code = $1 AND correlation_id = $2`, payor.code, correlationId);
    expect(audit).toEqual([{ deliveries: 4 }]);
  });

  it('holds its guards under concurrent callers: one subscription per triple, one notification per correlation id, one expiry notice', async () => {
    const repository = new PrismaNotificationRepository(prisma);
    const other = new PrismaNotificationRepository(prisma);
    const subscriber = `conc-${randomUUID().slice(0, 8)}@hcx`;
    const upserts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? repository : other).upsertSubscription({ topicCode: 't@x', subscriberCode: subscriber, senderCode: 's@x' }, randomUUID(), (previous) => (previous ? 1 : -1), () => []),
      ),
    );
    expect(new Set(upserts.map((row) => row.subscriptionId)).size).toBe(1);
    expect((await repository.listSubscriptions({ participantCode: subscriber, limit: 10, offset: 0 })).count).toBe(1);

    const correlationId = randomUUID();
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        (i % 2 ? repository : other).recordNotification({ id: randomUUID(), senderCode: subscriber, correlationId, topicCode: 't@x', recipientType: null, recipients: [], headers: {}, deliveries: 0 }, []),
      ),
    );
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);

    const notAfter = new Date(Date.now() + 86_400_000);
    const claims = await Promise.all(Array.from({ length: 4 }, (_, i) => (i % 2 ? repository : other).claimExpiryNotice(subscriber, 'encryption', notAfter, new Date())));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await repository.releaseExpiryNotice(subscriber, 'encryption', notAfter);
    expect(await other.claimExpiryNotice(subscriber, 'encryption', notAfter, new Date())).toBe(true);
  });
});
