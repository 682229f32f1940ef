import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';

export interface PrismaClientOptions {
  databaseUrl: string;
  poolSize?: number;
}

/**
 * Prisma 7 without a query engine: the `prisma-client` generator plus the node-postgres driver
 * adapter. The same path serves the real PostgreSQL and the embedded PGlite (standalone mode).
 */
export function createPrismaClient({ databaseUrl, poolSize = 10 }: PrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

/** Readiness: the database answers a trivial query. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRawUnsafe('SELECT 1');
}
