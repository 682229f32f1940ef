import { writeOutbox } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { apiCallColumns } from './api-call-columns';
import type { Sql } from './sql';
import type { Delivery, NotificationDeliveryState, NotificationRecord, NotificationRepository, NotificationSearch, SubscriptionQuery, SubscriptionRecord, SubscriptionStatusCode } from './types';

const SUBSCRIPTION_COLUMNS = `subscription_id AS "subscriptionId", topic_code AS "topicCode", subscriber_code AS "subscriberCode",
  sender_code AS "senderCode", status, created_at AS "createdAt", updated_at AS "updatedAt"`;
const NOTIFICATION_COLUMNS = `id::text AS id, sender_code AS "senderCode", correlation_id AS "correlationId", topic_code AS "topicCode",
  recipient_type AS "recipientType", recipients, headers, deliveries, created_at AS "createdAt"`;

/** api_call rows for many deliveries in one statement, then their routed events in one more. */
async function writeDeliveries(tx: Sql, deliveries: Delivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = deliveries.map(({ call }) => apiCallColumns(call));
  await tx.$executeRawUnsafe(
    `INSERT INTO "hcx"."api_call" (id, sender_code, recipient_code, api_call_id, correlation_id, workflow_id, api_path, hcx_status, headers, accepted_at)
     SELECT r.id, r.sender_code, r.recipient_code, r.api_call_id, r.correlation_id, r.workflow_id, r.api_path, r.hcx_status, r.headers, r.accepted_at
     FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, sender_code text, recipient_code text, api_call_id text, correlation_id text, workflow_id text,
       api_path text, hcx_status text, headers jsonb, accepted_at timestamptz)`,
    JSON.stringify(rows),
  );
  await writeOutbox(tx, 'hcx', deliveries.map((delivery) => delivery.event));
}

export class PrismaNotificationRepository implements NotificationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  upsertSubscription(
    key: { topicCode: string; subscriberCode: string; senderCode: string },
    newId: string,
    status: (previous: SubscriptionRecord | null) => SubscriptionStatusCode,
    deliveries: (record: SubscriptionRecord, previous: SubscriptionRecord | null) => Delivery[],
  ): Promise<SubscriptionRecord> {
    return this.prisma.$transaction(async (tx) => {
      // Insert-or-lock: concurrent subscribes of the same triple serialise on the row.
      await tx.$executeRawUnsafe(
        `INSERT INTO "hcx"."notification_subscription" (subscription_id, topic_code, subscriber_code, sender_code, status)
         VALUES ($1, $2, $3, $4, -100) ON CONFLICT (topic_code, subscriber_code, sender_code) DO NOTHING`,
        newId,
        key.topicCode,
        key.subscriberCode,
        key.senderCode,
      );
      const [locked] = await tx.$queryRawUnsafe<SubscriptionRecord[]>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM "hcx"."notification_subscription" WHERE topic_code = $1 AND subscriber_code = $2 AND sender_code = $3 FOR UPDATE`,
        key.topicCode,
        key.subscriberCode,
        key.senderCode,
      );
      const previous = (locked.status as number) === -100 ? null : locked;
      const [record] = await tx.$queryRawUnsafe<SubscriptionRecord[]>(
        `UPDATE "hcx"."notification_subscription" SET status = $2, updated_at = now() WHERE subscription_id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
        locked.subscriptionId,
        status(previous),
      );
      await writeDeliveries(tx, deliveries(record, previous));
      return record;
    });
  }

  setStatus(subscriptionIds: string[], status: SubscriptionStatusCode, deliveries: (record: SubscriptionRecord) => Delivery[], onlyFrom?: SubscriptionStatusCode[]): Promise<SubscriptionRecord[]> {
    if (subscriptionIds.length === 0) return Promise.resolve([]);
    return this.prisma.$transaction(async (tx) => {
      const changed = await tx.$queryRawUnsafe<SubscriptionRecord[]>(
        `UPDATE "hcx"."notification_subscription" SET status = $2, updated_at = now()
         WHERE subscription_id = ANY($1::text[]) AND status <> $2 ${onlyFrom ? 'AND status = ANY($3::int[])' : ''}
         RETURNING ${SUBSCRIPTION_COLUMNS}`,
        ...[subscriptionIds, status, ...(onlyFrom ? [onlyFrom] : [])],
      );
      await writeDeliveries(tx, changed.flatMap((record) => deliveries(record)));
      return changed;
    });
  }

  async findSubscription(subscriptionId: string): Promise<SubscriptionRecord | null> {
    const rows = await this.prisma.$queryRawUnsafe<SubscriptionRecord[]>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM "hcx"."notification_subscription" WHERE subscription_id = $1`, subscriptionId);
    return rows[0] ?? null;
  }

  async listSubscriptions(query: SubscriptionQuery): Promise<{ rows: SubscriptionRecord[]; count: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (query.participantCode !== undefined) add((n) => (query.asSender ? `sender_code = $${n}` : `subscriber_code = $${n}`), query.participantCode);
    if (query.topicCode !== undefined) add((n) => `topic_code = $${n}`, query.topicCode);
    if (query.senderCode !== undefined) add((n) => `sender_code = $${n}`, query.senderCode);
    if (query.subscriberCodes !== undefined) add((n) => `subscriber_code = ANY($${n}::text[])`, query.subscriberCodes);
    if (query.subscriptionIds !== undefined) add((n) => `subscription_id = ANY($${n}::text[])`, query.subscriptionIds);
    if (query.status !== undefined) add((n) => `status = $${n}`, query.status);
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [{ count }] = await this.prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "hcx"."notification_subscription" ${whereSql}`, ...params);
    const rows = await this.prisma.$queryRawUnsafe<SubscriptionRecord[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM "hcx"."notification_subscription" ${whereSql} ORDER BY created_at, subscription_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      ...params,
      query.limit,
      query.offset,
    );
    return { rows, count };
  }

  activeSubscriptions(topicCode: string, senderCode: string): Promise<SubscriptionRecord[]> {
    return this.prisma.$queryRawUnsafe<SubscriptionRecord[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM "hcx"."notification_subscription" WHERE topic_code = $1 AND sender_code = $2 AND status = 1 ORDER BY subscriber_code`,
      topicCode,
      senderCode,
    );
  }

  recordNotification(notification: Omit<NotificationRecord, 'createdAt'>, deliveries: Delivery[]): Promise<'recorded' | 'duplicate'> {
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO "hcx"."notification" (id, sender_code, correlation_id, topic_code, recipient_type, recipients, headers, deliveries)
         VALUES ($1::uuid, $2, $3, $4, $5, $6::text[], $7::jsonb, $8) ON CONFLICT (sender_code, correlation_id) DO NOTHING`,
        notification.id,
        notification.senderCode,
        notification.correlationId,
        notification.topicCode,
        notification.recipientType,
        notification.recipients,
        JSON.stringify(notification.headers),
        notification.deliveries,
      );
      if (inserted === 0) return 'duplicate';
      await writeDeliveries(tx, deliveries);
      return 'recorded';
    });
  }

  searchNotifications(search: NotificationSearch): Promise<NotificationRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (search.topicCode) add((n) => `topic_code = $${n}`, search.topicCode);
    if (search.senderCode) add((n) => `sender_code = $${n}`, search.senderCode);
    if (search.correlationId) add((n) => `correlation_id = $${n}`, search.correlationId);
    if (search.from) add((n) => `created_at >= $${n}`, search.from);
    if (search.to) add((n) => `created_at <= $${n}`, search.to);
    params.push(search.limit);
    return this.prisma.$queryRawUnsafe<NotificationRecord[]>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM "hcx"."notification" ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT $${params.length}`,
      ...params,
    );
  }

  deliveriesOf(senderCode: string, correlationId: string): Promise<NotificationDeliveryState[]> {
    return this.prisma.$queryRawUnsafe<NotificationDeliveryState[]>(
      `SELECT recipient_code AS "recipientCode", delivery_status AS "deliveryStatus", attempts, last_error AS "lastError", delivered_at AS "deliveredAt"
       FROM "hcx"."api_call" WHERE correlation_id = $2 AND sender_code = $1 AND api_path = '/notification/notify' ORDER BY recipient_code`,
      senderCode,
      correlationId,
    );
  }

  async claimExpiryNotice(participantCode: string, certificate: string, notAfter: Date, at: Date): Promise<boolean> {
    const inserted = await this.prisma.$executeRawUnsafe(
      `INSERT INTO "hcx"."certificate_expiry_notice" (participant_code, certificate, not_after, notified_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      participantCode,
      certificate,
      notAfter,
      at,
    );
    return inserted === 1;
  }

  async releaseExpiryNotice(participantCode: string, certificate: string, notAfter: Date): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `DELETE FROM "hcx"."certificate_expiry_notice" WHERE participant_code = $1 AND certificate = $2 AND not_after = $3`,
      participantCode,
      certificate,
      notAfter,
    );
  }
}
