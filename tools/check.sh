#!/usr/bin/env bash
# `npm run check`: everything a change must pass before it lands.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
step "prisma generate"; npm run -s prisma:generate
step "generated files are current (docs/openapi)"; node -r ./tools/ts-register.js tools/openapi/generate.ts --check
step "generated AsyncAPI is current and valid (docs/asyncapi, @asyncapi/parser)"; node -r ./tools/ts-register.js tools/asyncapi/generate.ts --check
step "OpenAPI lint (Redocly CLI, redocly.yaml)"; REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --no-install redocly lint --format=summary docs/openapi/*.json
step "lint, including @nx/enforce-module-boundaries and no-floating-promises"; npm run -s lint
step "type-check"; npm run -s typecheck
step "tests: unit, integration (real PostgreSQL and Kafka), e2e"; npm test
