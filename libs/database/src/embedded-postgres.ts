import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Standalone mode's database: PGlite (PostgreSQL compiled to WASM) persisted in `dataDir`, served
 * over the PostgreSQL wire protocol on 127.0.0.1, so services use the same @prisma/adapter-pg
 * path as in production.
 */
export async function startEmbeddedPostgres({ dataDir, port, maxConnections = 16 }: { dataDir: string; port: number; maxConnections?: number }): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
