import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma 7 reads connection settings here, not in the schema. `prisma generate` needs no database.
export default defineConfig({
  schema: path.join('prisma', 'schema'),
  migrations: { path: path.join('prisma', 'migrations') },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/npi' },
});
