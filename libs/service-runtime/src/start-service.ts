import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { finishOpenApiDocument } from '@npi/api-contracts';
import { StartupError, kafkaTopicSettings, readSettingFile } from '@npi/config';
import { OutboxRelay, PgNotifyWakeups, PrismaProcessedEventLog, createPrismaClient, isDatabaseUnavailable, pingDatabase } from '@npi/database';
import type { OutboxWakeups, PrismaClient } from '@npi/database';
import { ALL_TOPICS } from '@npi/kafka-contracts';
import { connectBrokerEvents, createBroker } from '@npi/messaging';
import type { KafkaBrokerOptions, MessageBroker } from '@npi/messaging';
import { READINESS_REGISTRY, configureTracing, createLogger, createServiceMetrics } from '@npi/observability';
import type { ReadinessRegistry } from '@npi/observability';
import { BrokerHealthMonitor } from './broker-health';
import { systemClock } from './clock';
import type { Clock } from './clock';
import { PinoNestLogger } from './nest-logger';
import { refuseNulCharacters, refuseNulInJson } from './input-hygiene';
import { PlatformModule } from './platform.module';
import { RequestContextMiddleware } from './request-context';
import { createRequestLogger } from './request-logging';
import type { RuntimeConfig, ServiceDefinition, ServiceDependencies } from './service-definition';

export interface StartOptions {
  /** Shared instances (standalone mode, tests); created from config when absent. */
  prisma?: PrismaClient;
  broker?: MessageBroker;
  clock?: Clock;
  logger?: Logger;
  /** Outbox commit wake-ups; default: LISTEN on DATABASE_URL (the embedded database passes its own). */
  outboxWakeups?: OutboxWakeups;
  /** Port 0 picks a free port (tests). */
  port?: number;
}

export interface RunningService<Config extends RuntimeConfig = RuntimeConfig> {
  app: INestApplication;
  deps: ServiceDependencies<Config>;
  url: string;
  stop(): Promise<void>;
}

/** Builds, wires and starts one service: HTTP, OpenAPI at /docs (/docs-json), health, metrics, outbox. */
export async function startService<Config extends RuntimeConfig>(
  definition: ServiceDefinition<Config>,
  config: Config,
  options: StartOptions = {},
): Promise<RunningService<Config>> {
  const logger = options.logger ?? createLogger(definition.name, config.LOG_LEVEL);
  // Process-wide and once: in standalone mode the first service's name labels the process.
  configureTracing({ serviceName: definition.name, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  const ownsPrisma = !options.prisma;
  const ownsBroker = !options.broker;
  const prisma = options.prisma ?? createPrismaClient({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, preparedStatements: config.DATABASE_PREPARED_STATEMENTS });
  // The outbox relay has two connections of its own (one batch being sent while the one before
  // commits): behind a burst of requests holding the request pool it would otherwise wait for a
  // connection at each step, and hold one of the requests' connections while it sends.
  const relayPrisma = ownsPrisma ? createPrismaClient({ databaseUrl: config.DATABASE_URL, poolSize: 2 }) : prisma;
  const broker =
    options.broker ??
    createBroker(
      config.BROKER === 'inprocess'
        ? { kind: 'inprocess' }
        : {
            kind: 'kafka',
            brokers: config.KAFKA_BROKERS,
            clientId: config.KAFKA_CLIENT_ID ?? `${definition.name}-${randomUUID().slice(0, 8)}`,
            ...kafkaSecurityOf(config),
            ...kafkaTopicSettings(config),
            // kafkajs attaches stack traces to connection errors; the message says enough.
            log: (level, message, extra) => logger[level]({ ...extra, stack: undefined }, message),
            // A message read while the database is away is retried until it is back, never dead-lettered.
            isTransient: isDatabaseUnavailable,
          },
    );
  // Dependencies are checked before anything else, so a start that cannot work names the setting.
  if (ownsPrisma) await dependency('DATABASE_URL', 'PostgreSQL', config.STARTUP_DEPENDENCY_TIMEOUT_MS, () => pingDatabase(prisma));
  if (ownsBroker) await dependency('KAFKA_BROKERS', 'the Kafka brokers', config.STARTUP_DEPENDENCY_TIMEOUT_MS, () => broker.ensureTopics(ALL_TOPICS));
  const onOutboxError = (error: unknown) => logger.warn({ err: error }, 'outbox relay failed; will retry');
  const wakeups = options.outboxWakeups ?? new PgNotifyWakeups(config.DATABASE_URL, onOutboxError);
  const metrics = createServiceMetrics(definition.name);
  const outbox = new OutboxRelay({
    prisma: relayPrisma,
    schema: definition.schema,
    broker,
    wakeups,
    retainPublishedMs: config.OUTBOX_RETENTION_HOURS * 3_600_000,
    onError: onOutboxError,
    onPublished: (seconds) => metrics.stageDuration.observe({ stage: 'publish', path: `outbox.${definition.schema}`, outcome: 'ok' }, seconds),
    onClaimed: (waitedSeconds) => {
      for (const seconds of waitedSeconds) metrics.stageDuration.observe({ stage: 'queue', path: `outbox.${definition.schema}`, outcome: 'ok' }, seconds);
    },
  });
  metrics.onCollect(async () => metrics.outboxBacklog.set({ schema: definition.schema }, await outbox.backlog()));
  const deps: ServiceDependencies<Config> = { config, prisma, broker, clock: options.clock ?? systemClock, logger, outbox, metrics };

  const app = await createServiceApp(definition, deps);
  // While stopping, each answer closes its connection: a client on a kept-alive connection cannot
  // keep a stopping pod busy (and the pod's shutdown waiting) with new requests.
  let draining = false;
  app.use((_request: express.Request, response: express.Response, next: express.NextFunction) => {
    if (draining) response.setHeader('Connection', 'close');
    next();
  });
  // Every @EventPattern handler of the app's controllers becomes a broker subscription; caught-up
  // checks of cache handlers join the readiness registry.
  const readiness = app.get<ReadinessRegistry>(READINESS_REGISTRY);
  connectBrokerEvents(app, {
    broker,
    groupPrefix: config.KAFKA_CONSUMER_GROUP_PREFIX ?? definition.name,
    processedEvents: new PrismaProcessedEventLog(prisma, definition.schema),
    observerFor: (group) => ({
      deadLettered: (topic) => metrics.deadLetters.inc({ group, topic }),
      lag: (topic, partition, lag) => metrics.consumerLag.set({ group, topic, partition: String(partition) }, lag),
      received: (topic, seconds) => metrics.stageDuration.observe({ stage: 'consume', path: topic, outcome: 'ok' }, seconds),
    }),
    groups: definition.eventGroups?.(config),
    readiness,
    maxConcurrentHandlers: eventHandlerConcurrency(config.DATABASE_POOL_SIZE),
  });

  // Consumers start last (docs/adr/0011-consumers-start-after-startup.md): a replay of a large
  // backlog would otherwise compete with the startup steps for the database pool. Until they are
  // subscribed (and so their caught-up checks registered) the pod is not ready.
  let consuming = false;
  readiness.register({
    name: 'eventConsumers',
    check: async () => {
      if (!consuming) throw new Error('starting: event consumers not subscribed yet');
      return { subscribed: true };
    },
  });
  await app.init();
  await app.listen(options.port ?? config.PORT, config.HOST);
  keepConnectionsAlive(app.getHttpServer() as Server, config.HTTP_KEEP_ALIVE_TIMEOUT_MS);
  await definition.onStarted?.(app, deps);
  await app.startAllMicroservices();
  consuming = true;
  await outbox.start();
  const brokerHealth = app.get(BrokerHealthMonitor);
  brokerHealth.start();
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  logger.info({ url }, `${definition.name} listening`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info(`${definition.name} stopping`);
      // Stop listening at once (idle kept-alive connections are closed too); requests in flight
      // finish, each answered with Connection: close, and `served` resolves when the last is done.
      draining = true;
      const server = app.getHttpServer() as Server;
      const served = new Promise<void>((resolve) => server.close(() => resolve()));
      await definition.onStopping?.(app, deps);
      await served;
      await app.close();
      await brokerHealth.stop();
      await outbox.stop();
      if (ownsBroker) await broker.close();
      if (ownsPrisma) await Promise.all([prisma.$disconnect(), relayPrisma.$disconnect()]);
    })();
    return stopping;
  };
  return { app, deps, url, stop };
}

/** Version of the HTTP APIs as documented; protocol versions (NCHL, HCX v0.8 paths) are in the paths. */
const API_VERSION = '1.0.0';

/** Builds the Nest application (platform + app modules, body parsers, OpenAPI) without listening. */
export async function createServiceApp<Config extends RuntimeConfig>(
  definition: ServiceDefinition<Config>,
  deps: ServiceDependencies<Config>,
): Promise<NestExpressApplication> {
  const { config, logger } = deps;
  @Module({ imports: [PlatformModule.forRoot(definition.name, deps), definition.createModule(deps)] })
  class RootModule {}

  const app = await NestFactory.create<NestExpressApplication>(RootModule, { logger: new PinoNestLogger(logger), bodyParser: false, abortOnError: false });
  app.disable('x-powered-by');
  app.set('trust proxy', false); // X-Forwarded-For is judged by auth-guards against TRUSTED_PROXIES only
  // Baseline security headers on every answer. Pages that must be framed (NPI Billers) replace
  // X-Frame-Options and the CSP with their participant's frame-ancestors.
  app.use(helmet({ frameguard: { action: 'deny' }, referrerPolicy: { policy: 'no-referrer' } }));
  const context = app.get(RequestContextMiddleware);
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => context.use(request, response, next));
  app.use(createRequestLogger(logger));
  app.use(express.json({ limit: config.HTTP_BODY_LIMIT, reviver: refuseNulInJson }));
  app.use(express.urlencoded({ extended: false, limit: config.HTTP_BODY_LIMIT }));
  app.use(refuseNulCharacters);

  const document = buildOpenApiDocument(app, definition);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}


/** Where a partner reaches the service; the committed documents name the standalone address. */
export interface OpenApiServer {
  url: string;
  description: string;
}

/** HTTP Basic client authentication (RFC 6749 section 2.3.1): the scheme name routes refer to. */
export const CLIENT_BASIC_AUTH = 'clientBasic';

/** The service's OpenAPI document, as served at /docs-json and committed under docs/openapi/. */
export function buildOpenApiDocument(
  app: INestApplication,
  definition: Pick<ServiceDefinition, 'title' | 'description'>,
  servers: readonly OpenApiServer[] = [{ url: '/', description: 'this service' }],
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(definition.title)
    .setDescription(definition.description)
    .setVersion(API_VERSION)
    .addBearerAuth()
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'client_id and client_secret (HTTP Basic client authentication)' }, CLIENT_BASIC_AUTH);
  for (const server of servers) builder.addServer(server.url, server.description);
  return finishOpenApiDocument(SwaggerModule.createDocument(app, builder.build()));
}

/**
 * Event handlers of shared groups running at once: half the request pool (at least one), so a
 * replay never holds every connection and requests and startup steps always find one.
 */
export function eventHandlerConcurrency(poolSize: number): number {
  return Math.max(1, Math.floor(poolSize / 2));
}

/**
 * Idle kept-alive connections stay open `keepAliveMs`; a request's headers must arrive within a
 * second more (Node requires headersTimeout above keepAliveTimeout, or a request arriving as the
 * connection idles out is cut off).
 */
function keepConnectionsAlive(server: Server, keepAliveMs: number): void {
  server.keepAliveTimeout = keepAliveMs;
  server.headersTimeout = keepAliveMs + 1_000;
}

/** A dependency that does not answer at startup: exit 69 naming the setting that points at it. */
async function dependency(setting: string, what: string, timeoutMs: number, step: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      step(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms (STARTUP_DEPENDENCY_TIMEOUT_MS)`)), timeoutMs);
        timer.unref();
      }),
    ]);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new StartupError(setting, `${what} did not answer (${reason})`, 'unavailable');
  } finally {
    clearTimeout(timer);
  }
}

/** TLS material is read from the files the settings name (a missing file names its setting). */
function kafkaSecurityOf(config: RuntimeConfig): Pick<KafkaBrokerOptions, 'ssl' | 'sasl'> {
  const ssl = config.KAFKA_SSL
    ? {
        ca: config.KAFKA_SSL_CA_FILE ? readSettingFile('KAFKA_SSL_CA_FILE', config.KAFKA_SSL_CA_FILE) : undefined,
        cert: config.KAFKA_SSL_CERT_FILE ? readSettingFile('KAFKA_SSL_CERT_FILE', config.KAFKA_SSL_CERT_FILE) : undefined,
        key: config.KAFKA_SSL_KEY_FILE ? readSettingFile('KAFKA_SSL_KEY_FILE', config.KAFKA_SSL_KEY_FILE) : undefined,
      }
    : undefined;
  const sasl =
    config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
      ? { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD }
      : undefined;
  return { ssl, sasl };
}
