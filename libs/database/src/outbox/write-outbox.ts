import type { PrismaClient } from '../prisma-client';
import type { OutboxRow } from './outbox-row';
import type { ServiceSchema } from './service-schema';
import { outboxTable } from './service-schema';

/** The raw-SQL surface of a Prisma client or interactive transaction. */
export type OutboxExecutor = Pick<PrismaClient, '$executeRawUnsafe'>;

/**
 * The one INSERT every service uses for its outbox, as SQL text taking the rows as one jsonb array
 * parameter (`$<param>`, or an expression of the enclosing statement), so a repository can also embed it as a CTE of a single-statement write.
 * A statement-level trigger on each outbox table NOTIFYs `outbox_<schema>` when the writing
 * transaction commits: that is the relay's wake-up, whatever the writer.
 */
export function outboxInsertSql(schema: ServiceSchema, param: number | { sql: string }, options: { onlyIf?: string } = {}): string {
  // `{ sql }`: the rows come from an expression of the enclosing statement (a jsonb array), e.g. the
  // events of the requests a grouped statement accepted.
  const rows = typeof param === 'number' ? `$${param}` : param.sql;
  return `INSERT INTO ${outboxTable(schema)} (id, topic, key, payload, headers)
  SELECT e.id, e.topic, e.key, e.payload, e.headers FROM jsonb_to_recordset(${rows}::jsonb) AS e(id uuid, topic text, key text, payload jsonb, headers jsonb)${options.onlyIf ? `\n  WHERE ${options.onlyIf}` : ''}`;
}

/** The value to bind to outboxInsertSql's parameter. */
export function outboxRowsParam(rows: readonly OutboxRow[]): string {
  return JSON.stringify(rows.map(({ id, topic, key, payload, headers }) => ({ id, topic, key, payload, headers })));
}

/** Writes outbox rows inside the caller's transaction (or autocommit), in one statement. */
export async function writeOutbox(tx: OutboxExecutor, schema: ServiceSchema, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(outboxInsertSql(schema, 1), outboxRowsParam(rows));
}
