/**
 * startService against the real PostgreSQL and Kafka: a service's consumers start only once its
 * startup steps (`onStarted`) are done, so a backlog replayed by a new consumer group never
 * competes with them for the database pool, and readiness stays red until the consumers run; an
 * idle kept-alive connection outlives Node's 5 s default, so a proxy's pooled connection is not
 * closed under it.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import { Controller, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { serviceBaseSchema } from '@npi/config';
import { BillersBillPreparedV1, encodeEvent } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import { KafkaBroker } from '@npi/messaging';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { eventually } from '@npi/testing';
import type { RuntimeConfig, ServiceDefinition } from './service-definition';
import { startService } from './start-service';
import type { RunningService } from './start-service';

const STARTUP_STEP_MS = 4_000;

/** What the probe service saw, in order: its startup step's end and each event it handled. */
const timeline: { what: 'onStarted ends' | 'event'; at: number; batchId?: string }[] = [];

@Controller()
class BillPreparedProbe {
  @EventPattern(BillersBillPreparedV1.topic, { group: 'startup-order' } satisfies BrokerEventHandlerOptions)
  onBillPrepared(@Payload() data: EventData<typeof BillersBillPreparedV1>): void {
    timeline.push({ what: 'event', at: Date.now(), batchId: data.batchId });
  }
}

@Module({ controllers: [BillPreparedProbe] })
class ProbeModule {}

const configSchema = serviceBaseSchema.extend({ PORT: z.coerce.number().int().default(0) });

describe('startService: consumers start after the startup steps', () => {
  let service: RunningService | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('handles an event already waiting on its topic only after onStarted, and is not ready before', async () => {
    const batchId = `B${randomUUID().slice(0, 8)}`;
    const producer = new KafkaBroker({ brokers: [process.env.KAFKA_BROKERS as string], clientId: 'startup-order-test' });
    try {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      await producer.publish(BillersBillPreparedV1.topic, [
        encodeEvent(
          BillersBillPreparedV1,
          { participantCode: 'PROBE', sessionId: `s-${batchId}`, batchId, instructionId: `I-${batchId}`, amount: '1.00', currency: 'NPR', billerCode: 'BILLER', expiresAt },
          { producer: 'session-service', key: batchId },
        ),
      ]);
    } finally {
      await producer.close();
    }

    let readyDuringStartup: number | undefined;
    const config: RuntimeConfig = configSchema.parse({
      DATABASE_URL: process.env.DATABASE_URL,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      // A new group reads the topic from the beginning, as a new deployment would.
      KAFKA_CONSUMER_GROUP_PREFIX: `startup-order-${randomUUID().slice(0, 8)}`,
      LOG_LEVEL: 'warn',
    });
    const definition: ServiceDefinition = {
      name: 'startup-order-probe',
      schema: 'payment',
      title: 'startup order probe',
      description: 'one event handler and a slow startup step',
      configSchema,
      createModule: () => ({ module: ProbeModule }),
      onStarted: async (app) => {
        // Long enough for a consumer subscribed earlier to join its group and fetch the event.
        await new Promise((resolve) => setTimeout(resolve, STARTUP_STEP_MS));
        const address = app.getHttpServer().address() as { port: number };
        readyDuringStartup = (await fetch(`http://127.0.0.1:${address.port}/health/ready`)).status;
        timeline.push({ what: 'onStarted ends', at: Date.now() });
      },
    };
    service = await startService(definition, config, { port: 0 });

    await eventually(() => expect(timeline.some((entry) => entry.batchId === batchId)).toBe(true), { timeoutMs: 30_000, intervalMs: 100 });
    const ended = timeline.find((entry) => entry.what === 'onStarted ends')?.at as number;
    const handled = timeline.find((entry) => entry.batchId === batchId)?.at as number;
    expect(handled).toBeGreaterThanOrEqual(ended);
    expect(readyDuringStartup).toBe(503);
    await eventually(async () => expect((await fetch(`${service!.url}/health/ready`)).status).toBe(200), { timeoutMs: 30_000, intervalMs: 200 });
  }, 90_000);
});

describe('startService: kept-alive connections', () => {
  let service: RunningService | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('keeps an idle connection open past Node\'s 5 s default (HTTP_KEEP_ALIVE_TIMEOUT_MS, 65 s)', async () => {
    const config: RuntimeConfig = configSchema.parse({
      DATABASE_URL: process.env.DATABASE_URL,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      KAFKA_CONSUMER_GROUP_PREFIX: `keep-alive-${randomUUID().slice(0, 8)}`,
      LOG_LEVEL: 'warn',
    });
    expect(config.HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe(65_000);
    service = await startService({ name: 'keep-alive-probe', schema: 'payment', title: 'keep-alive probe', description: 'no routes of its own', configSchema, createModule: () => ({ module: class {} }) }, config, { port: 0 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; socket: Socket }>((resolve, reject) => {
        const request = http.get(`${service!.url}/health/live`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, socket: request.socket as Socket }));
        });
        request.on('error', reject);
      });
    try {
      const first = await get();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const second = await get();
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
