/**
 * Platform behaviour of session-service through HTTP, against the real PostgreSQL and Kafka broker
 * that the e2e global setup started: health, readiness, OpenAPI, metrics, bad input.
 */
import type { RunningService } from '@npi/service-runtime';
import { itServesThePlatformEndpoints } from '@npi/testing';
import { billersKeys, startSessionService } from '../support/billers-harness';

describe('session-service platform endpoints', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startSessionService(billersKeys());
  }, 60_000);
  afterAll(async () => service?.stop(), 30_000);

  itServesThePlatformEndpoints(() => service.url, { title: 'NPI Billers session-service', documentedPaths: ['/billers', '/billers/api/npi-object', '/admin/participants/{code}'] });
});
