/**
 * Platform behaviour of hcx-gateway through HTTP, against the real PostgreSQL and Kafka broker
 * that the e2e global setup started: health, readiness, OpenAPI, metrics, bad input.
 */
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import { startGateway } from '../support/hcx-fixtures';

describe('hcx-gateway platform endpoints', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = (await startGateway()) as unknown as RunningService;
  }, 60_000);
  afterAll(async () => service?.stop(), 30_000);

  it('is live and ready when its database and broker answer', async () => {
    await request(service.url).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(service.url).get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'up', broker: 'up' } });
  });

  it('serves its OpenAPI document and Prometheus metrics', async () => {
    const docs = await request(service.url).get('/docs-json').expect(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    expect(docs.body.info.title).toBe('HCX gateway');
    await request(service.url).get('/docs').expect(200);
    const metrics = await request(service.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_requests_total');
  });

  it('answers unknown paths and malformed JSON with a 4xx and a correlation id, never a 500', async () => {
    const missing = await request(service.url).get('/no-such-path').expect(404);
    expect(missing.body.error.code).toBe('ERR_NOT_FOUND');
    expect(missing.headers['x-correlation-id']).toBeTruthy();
    const malformed = await request(service.url).post('/no-such-path').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(malformed.text).not.toContain('at ');
  });
});
