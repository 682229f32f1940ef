import { GroupCommit, outboxInsertSql, outboxRowsParam, preparedStatement } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import { apiCallColumns } from './api-call-columns';
import type { ApiCallRecord, ApiCallRepository, ApiCallSearch, DeliveryStatus, NewApiCall, OutboxEventRow } from './types';

const COLUMNS = `id::text AS id, sender_code AS "senderCode", recipient_code AS "recipientCode", api_call_id AS "apiCallId",
  correlation_id AS "correlationId", workflow_id AS "workflowId", api_path AS "apiPath", hcx_status AS "hcxStatus", headers,
  delivery_status AS "deliveryStatus", attempts, last_error AS "lastError", accepted_at AS "acceptedAt", delivered_at AS "deliveredAt"`;

/** Once per routed request (the dispatcher's check before a first try and its record after it): prepared where that is on. */
const DELIVERY_STATUS_SQL = preparedStatement(`SELECT delivery_status AS status FROM "hcx"."api_call" WHERE id = $1::uuid`);
const MARK_DELIVERED_SQL = preparedStatement(`UPDATE "hcx"."api_call" AS c SET delivery_status = 'delivered', delivered_at = i.at, attempts = GREATEST(c.attempts, i.attempts), last_error = NULL
  FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) AS i(id, at, attempts)
  WHERE c.id = i.id AND c.delivery_status = 'accepted' RETURNING c.id::text AS id`);

export class PrismaApiCallRepository implements ApiCallRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Concurrent acceptances share one statement (group commit): under load one commit, one WAL flush
   * and one outbox NOTIFY serve a whole batch. PostgreSQL serialises the commits of transactions
   * that NOTIFY, so one statement per request bounded acceptance by the commit latency.
   */
  private readonly accepts = new GroupCommit<{ call: NewApiCall; event: OutboxEventRow }, 'accepted' | 'duplicate'>((items) => this.acceptBatch(items), {
    maxBatch: 128,
    maxInFlight: 2,
  });

  accept(call: NewApiCall, event: OutboxEventRow): Promise<'accepted' | 'duplicate'> {
    return this.accepts.submit({ call, event });
  }

  /**
   * The dispatcher records one delivery per routed request: concurrent marks share one statement,
   * so a burst of deliveries costs one commit (a WAL flush) instead of one per request, and
   * acceptance does not queue behind them for a pool connection.
   */
  private readonly deliveredMarks = new GroupCommit<{ id: string; at: Date; attempts: number }, boolean>((items) => this.markDeliveredBatch(items), {
    maxBatch: 256,
    maxInFlight: 2,
  });

  private async acceptBatch(items: { call: NewApiCall; event: OutboxEventRow }[]): Promise<('accepted' | 'duplicate')[]> {
    // One autocommit statement, one round trip: the unique (sender_code, api_call_id) index decides
    // between concurrent requests, replicas and items of this batch (exactly one INSERT of a pair
    // returns its row; the others wait for it and return none), and each routing event is written
    // only with the row that won.
    const calls = items.map(({ call, event }, ord) => ({ ord, event_id: event.id, ...apiCallColumns(call) }));
    const rows = await this.prisma.$queryRawUnsafe<{ id: string }[]>(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(ord int, id uuid, event_id uuid, sender_code text, recipient_code text, api_call_id text,
           correlation_id text, workflow_id text, api_path text, hcx_status text, headers jsonb, accepted_at timestamptz)),
       call AS (
         INSERT INTO "hcx"."api_call" (id, sender_code, recipient_code, api_call_id, correlation_id, workflow_id, api_path, hcx_status, headers, accepted_at)
         SELECT id, sender_code, recipient_code, api_call_id, correlation_id, workflow_id, api_path, hcx_status, headers, accepted_at FROM input ORDER BY ord
         ON CONFLICT (sender_code, api_call_id) DO NOTHING RETURNING id),
       event AS (${outboxInsertSql('hcx', 2, { onlyIf: 'e.id IN (SELECT input.event_id FROM input JOIN call ON call.id = input.id)' })} RETURNING 1)
       SELECT id::text AS id FROM call`,
      JSON.stringify(calls),
      outboxRowsParam(items.map(({ event }) => event)),
    );
    const won = new Set(rows.map((row) => row.id));
    return items.map(({ call }) => (won.has(call.id) ? 'accepted' : 'duplicate'));
  }

  async findOriginalRequest(correlationId: string, participantCode: string): Promise<ApiCallRecord | null> {
    const rows = await this.prisma.$queryRawUnsafe<ApiCallRecord[]>(
      `SELECT ${COLUMNS} FROM "hcx"."api_call"
       WHERE correlation_id = $1 AND (sender_code = $2 OR recipient_code = $2) AND api_path NOT LIKE '/hcx/%' AND api_path NOT LIKE '%/on\\_%'
       ORDER BY accepted_at, id LIMIT 1`,
      correlationId,
      participantCode,
    );
    return rows[0] ?? null;
  }

  /**
   * One indexed row, one column (not the audit columns `find` reads). Not grouped like the marks:
   * measured, a grouped read (two statements in flight) handed the dispatcher its deliveries in
   * bursts that queued at the recipient's slots, where separate reads spread them out.
   */
  async deliveryStatus(id: string): Promise<DeliveryStatus | null> {
    const rows = await this.prisma.$queryRawUnsafe<{ status: DeliveryStatus }[]>(DELIVERY_STATUS_SQL, id);
    return rows[0]?.status ?? null;
  }

  async find(id: string): Promise<ApiCallRecord | null> {
    const rows = await this.prisma.$queryRawUnsafe<ApiCallRecord[]>(`SELECT ${COLUMNS} FROM "hcx"."api_call" WHERE id = $1::uuid`, id);
    return rows[0] ?? null;
  }

  async recordAttempt(id: string, attempts: number, lastError: string | null): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE "hcx"."api_call" SET attempts = GREATEST(attempts, $2), last_error = $3 WHERE id = $1::uuid`,
      id,
      attempts,
      lastError,
    );
  }

  markDelivered(id: string, at: Date, attempts: number): Promise<boolean> {
    return this.deliveredMarks.submit({ id, at, attempts });
  }

  private async markDeliveredBatch(items: { id: string; at: Date; attempts: number }[]): Promise<boolean[]> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: string }[]>(
      MARK_DELIVERED_SQL,
      items.map((item) => item.id),
      items.map((item) => item.at.toISOString()),
      items.map((item) => item.attempts),
    );
    // A row is updated once even when its id is in the batch twice: only its first item recorded it.
    const updated = new Set(rows.map((row) => row.id));
    return items.map((item) => updated.delete(item.id));
  }

  async deadLetter(id: string, reason: string, attempts: number, callbackStatus: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$executeRawUnsafe(
        `INSERT INTO "hcx"."dead_letter" (api_call_row_id, reason, attempts, callback_status) VALUES ($1::uuid, $2, $3, $4) ON CONFLICT DO NOTHING`,
        id,
        reason,
        attempts,
        callbackStatus,
      );
      if (inserted === 0) return false;
      await tx.$executeRawUnsafe(
        `UPDATE "hcx"."api_call" SET delivery_status = 'dead_lettered', attempts = GREATEST(attempts, $2), last_error = $3 WHERE id = $1::uuid`,
        id,
        attempts,
        reason,
      );
      return true;
    });
  }

  async findDeadLetter(id: string): Promise<{ reason: string; attempts: number; callbackStatus: string } | null> {
    const rows = await this.prisma.$queryRawUnsafe<{ reason: string; attempts: number; callbackStatus: string }[]>(
      `SELECT reason, attempts, callback_status AS "callbackStatus" FROM "hcx"."dead_letter" WHERE api_call_row_id = $1::uuid`,
      id,
    );
    return rows[0] ?? null;
  }

  async search(filter: ApiCallSearch): Promise<ApiCallRecord[]> {
    const params: unknown[] = [filter.participantCode];
    const where = ['(sender_code = $1 OR recipient_code = $1)'];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (filter.correlationId) add((n) => `correlation_id = $${n}`, filter.correlationId);
    if (filter.workflowId) add((n) => `workflow_id = $${n}`, filter.workflowId);
    if (filter.from) add((n) => `accepted_at >= $${n}`, filter.from);
    if (filter.to) add((n) => `accepted_at <= $${n}`, filter.to);
    params.push(filter.limit);
    return this.prisma.$queryRawUnsafe<ApiCallRecord[]>(
      `SELECT ${COLUMNS} FROM "hcx"."api_call" WHERE ${where.join(' AND ')} ORDER BY accepted_at DESC, id LIMIT $${params.length}`,
      ...params,
    );
  }
}
