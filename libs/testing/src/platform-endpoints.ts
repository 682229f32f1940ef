/**
 * The platform behaviour every service shares (libs/service-runtime), asserted once through HTTP:
 * health and readiness, OpenAPI and metrics, and bad input answered with a 4xx, never a 500.
 * Each app's test/e2e/platform.e2e-spec.ts (jest globals: test files only) starts its service its own way and calls this.
 */
import request from 'supertest';

export interface PlatformExpectations {
  /** The OpenAPI title the service publishes. */
  title: string;
  /** Paths its OpenAPI document must list. */
  documentedPaths?: string[];
}

export function itServesThePlatformEndpoints(serviceUrl: () => string, expected: PlatformExpectations): void {
  it('is live, and ready when its database answers and its caches caught up', async () => {
    await request(serviceUrl()).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(serviceUrl()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, error: {} });
    // The broker is reported, but does not decide readiness (the outbox holds events meanwhile).
    expect(ready.body.details.broker).toMatchObject({ status: 'up', affectsReadiness: false });
  });

  it('serves its OpenAPI document and Prometheus metrics', async () => {
    const docs = await request(serviceUrl()).get('/docs-json').expect(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    expect(docs.body.info.title).toBe(expected.title);
    if (expected.documentedPaths) expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(expected.documentedPaths));
    await request(serviceUrl()).get('/docs').expect(200);
    const metrics = await request(serviceUrl()).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_requests_total');
  });

  it('answers unknown paths and malformed JSON with a 4xx and a correlation id, never a 500', async () => {
    const missing = await request(serviceUrl()).get('/no-such-path').expect(404);
    expect(missing.body.error.code).toBe('ERR_NOT_FOUND');
    expect(missing.headers['x-correlation-id']).toBeTruthy();
    // Security headers (helmet) on every answer, errors included.
    expect(missing.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    expect(missing.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(missing.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    const malformed = await request(serviceUrl()).post('/no-such-path').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(malformed.text).not.toContain('at ');
  });
}
