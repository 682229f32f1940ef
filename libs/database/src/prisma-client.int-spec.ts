/**
 * Prepared statements against the real PostgreSQL: with `preparedStatements`, a statement marked by
 * `preparedStatement()` is prepared once on the connection and reused; unmarked statements, and
 * every statement without the option, stay unnamed (nothing is left prepared on the session).
 */
import { createPrismaClient, preparedStatement, preparedStatementName } from './prisma-client';

jest.setTimeout(60_000);

/** The session's named statements (one connection: the same session as the statements before). */
async function prepared(prisma: ReturnType<typeof createPrismaClient>): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ name: string }[]>('SELECT name FROM pg_prepared_statements ORDER BY name');
  return rows.map((row) => row.name);
}

describe('createPrismaClient prepared statements (PostgreSQL)', () => {
  const marked = preparedStatement('SELECT $1::int + 1 AS n');

  it('prepares a marked statement once per connection and reuses it; unmarked ones stay unnamed', async () => {
    const prisma = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 1, preparedStatements: true });
    try {
      for (const n of [1, 2, 3]) expect(await prisma.$queryRawUnsafe<{ n: number }[]>(marked, n)).toEqual([{ n: n + 1 }]);
      await prisma.$queryRawUnsafe('SELECT $1::int AS unmarked', 1);
      expect(await prepared(prisma)).toEqual([preparedStatementName(marked)]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('without the option a marked statement is an ordinary one (the marker is a comment)', async () => {
    const prisma = createPrismaClient({ databaseUrl: process.env.DATABASE_URL!, poolSize: 1 });
    try {
      expect(await prisma.$queryRawUnsafe<{ n: number }[]>(marked, 41)).toEqual([{ n: 42 }]);
      expect(await prepared(prisma)).toEqual([]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('names differ for different texts and only marked texts are named', () => {
    expect(preparedStatementName(marked)).toMatch(/^npi_[0-9a-f]{32}$/);
    expect(preparedStatementName(preparedStatement('SELECT 2'))).not.toBe(preparedStatementName(marked));
    expect(preparedStatementName('SELECT $1::int + 1 AS n')).toBeUndefined();
  });
});
