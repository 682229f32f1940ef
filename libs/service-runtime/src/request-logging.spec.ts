import { Controller, Get, Module, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { z } from 'zod';
import { loadConfig, serviceBaseSchema } from '@npi/config';
import { OutboxRelay, createPrismaClient } from '@npi/database';
import { InProcessBroker } from '@npi/messaging';
import { createLogger } from '@npi/observability';
import { systemClock } from './clock';
import type { RuntimeConfig, ServiceDefinition } from './service-definition';
import { createServiceApp } from './start-service';

@Controller('things')
class ThingsController {
  constructor(private readonly logger: PinoLogger) {}

  @Get()
  list() {
    this.logger.info({ count: 2 }, 'listing things');
    return [1, 2];
  }

  @Post()
  create() {
    throw new Error('disk on fire while verifying eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('request logging (pino-http with nestjs-pino)', () => {
  const lines: Array<Record<string, unknown>> = [];
  let app: INestApplication;
  let broker: InProcessBroker;
  let url: string;

  beforeAll(async () => {
    const configSchema = serviceBaseSchema.extend({ PORT: z.coerce.number().default(0) });
    const config = loadConfig('things', configSchema, { NODE_ENV: 'test', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/never-connected', BROKER: 'inprocess' }) as RuntimeConfig;
    const definition: ServiceDefinition = {
      name: 'things',
      schema: 'auth',
      title: 'things',
      description: 'a service with one controller',
      configSchema: configSchema as never,
      createModule: () => ({ module: ThingsModule }),
    };
    const logger = createLogger('things', 'info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const prisma = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
    broker = new InProcessBroker();
    app = await createServiceApp(definition, { config, prisma, broker, clock: systemClock, logger, outbox: new OutboxRelay({ prisma, schema: 'auth', broker }) });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await app.close();
    await broker.close();
  });

  beforeEach(() => void lines.splice(0));

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('writes one access line per request, with the correlation id the caller sent, and no headers', async () => {
    const response = await fetch(`${url}/things?secret=1`, { headers: { 'x-correlation-id': 'corr-abc-123', authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBe('corr-abc-123');
    await settle();
    const access = lines.filter((line) => line.message === 'request completed');
    expect(access).toEqual([expect.objectContaining({ correlationId: 'corr-abc-123', method: 'GET', path: '/things', status: 200, service: 'things', level: 'info' })]);
    expect(typeof access[0].durationMs).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it("gives an injected PinoLogger the request's correlation id (once per line)", async () => {
    await fetch(`${url}/things`, { headers: { 'x-correlation-id': 'corr-for-the-service-line' } });
    await settle();
    const line = lines.find((l) => l.message === 'listing things');
    expect(line).toMatchObject({ correlationId: 'corr-for-the-service-line', count: 2 });
  });

  it('logs a 5xx as "request failed" at warn, and the error once, redacted, without a stack in the answer', async () => {
    const response = await fetch(`${url}/things`, { method: 'POST', headers: { 'x-correlation-id': 'corr-broken' } });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('disk on fire');
    await settle();
    expect(lines.filter((l) => l.message === 'request failed')).toEqual([expect.objectContaining({ correlationId: 'corr-broken', status: 500, level: 'warn' })]);
    const errors = lines.filter((l) => l.message === 'unhandled error');
    expect(errors).toHaveLength(1);
    expect(errors[0].correlationId).toBe('corr-broken');
    expect(JSON.stringify(errors)).toContain('disk on fire');
    expect(JSON.stringify(errors)).not.toContain('eyJzdWIiOiJ4In0');
  });

  it('does not log health probes', async () => {
    await fetch(`${url}/health/live`);
    await settle();
    expect(lines.filter((l) => l.message === 'request completed' || l.message === 'request failed')).toEqual([]);
  });
});
