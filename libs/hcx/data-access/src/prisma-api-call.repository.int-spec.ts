/**
 * Group-committed acceptance against the real PostgreSQL: concurrent accepts share statements, yet
 * each replayed (sender, api_call_id) is accepted exactly once, and every accepted call, and only
 * those, has its routing event in the outbox.
 */
import { randomUUID } from 'node:crypto';
import { createPrismaClient, outboxRow } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { HcxRequestRoutedV1 } from '@npi/kafka-contracts';
import { PrismaApiCallRepository } from './prisma-api-call.repository';

jest.setTimeout(60_000);

describe('PrismaApiCallRepository.accept (group commit)', () => {
  let prisma: PrismaClient;

  beforeAll(() => {
    prisma = createPrismaClient({ databaseUrl: process.env.DATABASE_URL as string, poolSize: 4, preparedStatements: true });
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  function request(senderCode: string, apiCallId: string) {
    const id = randomUUID();
    const correlationId = randomUUID();
    const acceptedAt = new Date();
    const event = outboxRow(
      HcxRequestRoutedV1,
      { requestId: id, apiPath: '/coverageeligibility/check', senderCode, recipientCode: 'payor-x', apiCallId, correlationId, payload: 'a.b.c.d.e', acceptedAt: acceptedAt.toISOString() },
      { producer: 'test', key: correlationId, correlationId },
    );
    const call = { id, senderCode, recipientCode: 'payor-x', apiCallId, correlationId, workflowId: null, apiPath: '/coverageeligibility/check', hcxStatus: null, headers: { 'x-hcx-api_call_id': apiCallId }, acceptedAt };
    return { call, event };
  }

  it('accepts each (sender, api_call_id) once among 200 concurrent requests, with one routing event per accepted call', async () => {
    const repository = new PrismaApiCallRepository(prisma);
    const sender = `provider-${randomUUID().slice(0, 8)}`;
    // 100 distinct call ids, each sent twice, all at once: the duplicates land in the same batch or in concurrent ones.
    const callIds = Array.from({ length: 100 }, () => randomUUID());
    const requests = [...callIds, ...callIds].map((apiCallId) => request(sender, apiCallId));
    const outcomes = await Promise.all(requests.map(({ call, event }) => repository.accept(call, event)));

    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(100);
    const acceptedIds = requests.filter((_, index) => outcomes[index] === 'accepted').map(({ call }) => call.id);
    const stored = await prisma.$queryRawUnsafe<{ id: string; api_call_id: string }[]>(`SELECT id::text AS id, api_call_id FROM "hcx"."api_call" WHERE sender_code = $1`, sender);
    expect(stored.map((row) => row.id).sort()).toEqual([...acceptedIds].sort());
    expect(new Set(stored.map((row) => row.api_call_id)).size).toBe(100);

    const eventIds = requests.map(({ event }) => event.id);
    const events = await prisma.$queryRawUnsafe<{ request_id: string }[]>(
      `SELECT payload->'data'->>'requestId' AS request_id FROM "hcx"."outbox_event" WHERE id = ANY($1::uuid[])`,
      eventIds,
    );
    expect(events.map((row) => row.request_id).sort()).toEqual([...acceptedIds].sort());
  });

  it('refuses a replay of a call accepted earlier', async () => {
    const repository = new PrismaApiCallRepository(prisma);
    const sender = `provider-${randomUUID().slice(0, 8)}`;
    const apiCallId = randomUUID();
    const first = request(sender, apiCallId);
    const replay = request(sender, apiCallId);
    expect(await repository.accept(first.call, first.event)).toBe('accepted');
    expect(await repository.accept(replay.call, replay.event)).toBe('duplicate');
  });

  it('reads delivery statuses, and records deliveries of concurrent callers together, each delivery once', async () => {
    const repository = new PrismaApiCallRepository(prisma);
    const sender = `provider-${randomUUID().slice(0, 8)}`;
    const requests = Array.from({ length: 40 }, () => request(sender, randomUUID()));
    await Promise.all(requests.map(({ call, event }) => repository.accept(call, event)));
    const ids = requests.map(({ call }) => call.id);

    expect(await Promise.all([...ids, randomUUID()].map((id) => repository.deliveryStatus(id)))).toEqual([...ids.map(() => 'accepted'), null]);
    // Each id marked twice at once (same batch or concurrent ones): exactly one caller records it.
    const at = new Date('2026-01-02T03:04:05.000Z');
    const marks = await Promise.all([...ids, ...ids].map((id, index) => repository.markDelivered(id, at, index < ids.length ? 1 : 2)));
    ids.forEach((_, index) => expect([marks[index], marks[index + ids.length]].filter(Boolean)).toHaveLength(1));
    expect(await repository.markDelivered(ids[0], at, 3)).toBe(false);
    expect(await Promise.all(ids.map((id) => repository.deliveryStatus(id)))).toEqual(ids.map(() => 'delivered'));
    const stored = await repository.find(ids[1]);
    expect(stored?.deliveredAt?.toISOString()).toBe(at.toISOString());
    expect(stored?.attempts).toBeGreaterThanOrEqual(1);
  });
});
