/**
 * Platform behaviour of auth-service through HTTP, against the real PostgreSQL and Kafka broker
 * that the e2e global setup started: health, readiness, OpenAPI, metrics, bad input.
 */
import type { RunningService } from '@npi/service-runtime';
import { itServesThePlatformEndpoints } from '@npi/testing';
import { startAuthService } from '../support/auth-test-service';

describe('auth-service platform endpoints', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = (await startAuthService()).service as unknown as RunningService;
  }, 60_000);
  afterAll(async () => service?.stop(), 30_000);

  itServesThePlatformEndpoints(() => service.url, { title: 'NPI auth-service' });
});
