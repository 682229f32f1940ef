import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';

export interface PrismaClientOptions {
  databaseUrl: string;
  poolSize?: number;
  /**
   * Run the statements marked with `preparedStatement()` as named prepared statements (planned once
   * per connection instead of on every call). Only for a real PostgreSQL reached directly (or
   * through a pooler that keeps prepared statements): the embedded PGlite multiplexes every
   * connection onto one session, where two connections preparing the same name collide.
   */
  preparedStatements?: boolean;
}

const PREPARED_MARKER = '/* prepared */ ';

/**
 * Marks a raw SQL text (a fixed text: its parameters vary, never the text) as worth preparing: a
 * hot statement whose planning costs as much as its execution. Without `preparedStatements` the
 * marker is only a comment.
 */
export function preparedStatement(sql: string): string {
  return `${PREPARED_MARKER}${sql}`;
}

/** The prepared-statement name of a marked SQL text (a digest of the text, so one text has one name); undefined for any other. */
export function preparedStatementName(sql: string): string | undefined {
  return sql.startsWith(PREPARED_MARKER) ? `npi_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}` : undefined;
}

/**
 * Prisma 7 without a query engine: the `prisma-client` generator plus the node-postgres driver
 * adapter. The same path serves the real PostgreSQL and the embedded PGlite (standalone mode).
 */
export function createPrismaClient({ databaseUrl, poolSize = 10, preparedStatements = false }: PrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 },
    // pg treats an empty name as the unnamed statement (parsed and planned on every call).
    preparedStatements ? { statementNameGenerator: (query) => preparedStatementName(query.sql) ?? '' } : undefined,
  );
  return new PrismaClient({ adapter });
}

/** Readiness: the database answers a trivial query. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRawUnsafe('SELECT 1');
}
