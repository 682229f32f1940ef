#!/usr/bin/env bash
# Prisma's schema engine binary cannot be downloaded here (ADR 0002). `prisma generate` only needs a
# path that exists; anything that really asks the schema engine for work gets a clear refusal.
echo "schema-engine stub: migrations are applied by 'npm run db:migrate' (tools/db/migrate.ts)" >&2
exit 1
