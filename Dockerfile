# syntax=docker/dockerfile:1
#
# One image per service (docs/architecture.md "Runtime modes", distributed):
#
#   docker build --build-arg APP=auth-service    -t npi/auth-service .
#   docker build --build-arg APP=session-service -t npi/session-service .
#   docker build --build-arg APP=payment-service -t npi/payment-service .
#   docker build --build-arg APP=hcx-gateway     -t npi/hcx-gateway .
#
# Service (default command):  node -r ./tools/runtime/register-paths.js dist/apps/<APP>/src/main.js
# Migrations (same image):    node -r ./tools/runtime/register-paths.js dist/tools/db/migrate.js
#
# The runtime stage writes nothing outside /tmp, so it runs with a read-only root filesystem
# (compose `read_only: true`, Kubernetes `readOnlyRootFilesystem: true`) as uid 10001.
# Production builds should pin the base image by digest too (node:24-bookworm-slim@sha256:...).

# Global so it can pick the final stage below (`FROM app-${APP}`); an unknown APP fails the build.
ARG APP

############################ deps: every dependency, for the build ############################
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no install hook downloads anything (Prisma's engines are not needed:
# `prisma generate` runs on the wasm schema parser, migrations are applied by tools/db/migrate.ts).
RUN npm ci --ignore-scripts --no-audit --no-fund

############################ build: prisma generate + tsc -> dist/ ############################
FROM deps AS build
COPY . .
# = prisma generate (into libs/database/src/generated) + tsc -p tsconfig.build.json (dist/ mirrors
# the repo tree: dist/apps/<app>/src/main.js, dist/libs/**, dist/tools/db/migrate.js).
RUN npm run build \
 && test -f dist/tools/db/migrate.js

############################ prod-deps: runtime dependencies only ############################
FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# The prisma CLI is a devDependency; the generated client lives in dist/ and needs only
# @prisma/client + @prisma/adapter-pg (dependencies). tsconfig-paths is a dependency too.
# --omit=optional as well: prisma, typescript and ~130 packages are optional peers of
# @prisma/client ("devOptional"), which --omit=dev alone keeps; the only other optional
# package is pg-cloudflare (Cloudflare Workers), unused on Node.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

############################ runtime: shared by every service ############################
FROM node:24-bookworm-slim AS runtime
ARG APP
RUN test -n "${APP}" || { echo "build with --build-arg APP=<auth-service|session-service|payment-service|hcx-gateway>" >&2; exit 1; } \
 && groupadd --system --gid 10001 npi \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin npi
WORKDIR /app
# TMPDIR: nothing may write outside /tmp (read-only root filesystem, tmpfs/emptyDir at /tmp).
ENV NODE_ENV=production \
    APP=${APP} \
    HOST=0.0.0.0 \
    TMPDIR=/tmp
COPY --from=prod-deps --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/package.json ./package.json
# register-paths.js derives the @npi/* alias map from tsconfig.base.json at start-up.
COPY --from=build --chown=0:0 /app/tsconfig.base.json ./tsconfig.base.json
COPY --from=build --chown=0:0 /app/tools/runtime/register-paths.js /app/tools/runtime/alias-map.js /app/tools/runtime/healthcheck.js ./tools/runtime/
# Only this service's code, the shared libs and the migration applier: a service image never
# carries another service's code (docs/architecture.md boundaries).
COPY --from=build --chown=0:0 /app/dist/libs ./dist/libs
COPY --from=build --chown=0:0 /app/dist/tools/db ./dist/tools/db
COPY --from=build --chown=0:0 /app/dist/apps/${APP} ./dist/apps/${APP}
# tools/db/migrate.ts reads path.join(__dirname, '..', '..', 'prisma', 'migrations'), which from
# dist/tools/db/migrate.js is dist/prisma/migrations.
COPY --from=build --chown=0:0 /app/prisma/migrations ./dist/prisma/migrations
RUN test -f "dist/apps/${APP}/src/main.js" || { echo "no dist/apps/${APP}/src/main.js: unknown APP '${APP}'" >&2; exit 1; }
# Files stay root-owned and read-only for the service user.
USER 10001:10001
STOPSIGNAL SIGTERM
# Probes the service's own /health/ready on $PORT (no curl in the slim image).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "tools/runtime/healthcheck.js", "/health/ready"]

############################ one final stage per service ############################
# Exec-form CMD does not expand variables, so each service gets its literal entry point and
# port here; `FROM app-${APP}` below picks one (BuildKit builds only the stages it needs).
# PORT is each app's default in apps/<app>/src/config.ts (tools/containers keeps them in step).

FROM runtime AS app-auth-service
ENV PORT=3001
EXPOSE 3001
CMD ["node", "-r", "./tools/runtime/register-paths.js", "dist/apps/auth-service/src/main.js"]

FROM runtime AS app-session-service
ENV PORT=3002
EXPOSE 3002
CMD ["node", "-r", "./tools/runtime/register-paths.js", "dist/apps/session-service/src/main.js"]

FROM runtime AS app-payment-service
ENV PORT=3003
EXPOSE 3003
CMD ["node", "-r", "./tools/runtime/register-paths.js", "dist/apps/payment-service/src/main.js"]

FROM runtime AS app-hcx-gateway
ENV PORT=3004
EXPOSE 3004
CMD ["node", "-r", "./tools/runtime/register-paths.js", "dist/apps/hcx-gateway/src/main.js"]

# The image `docker build --build-arg APP=<app>` produces.
FROM app-${APP}
