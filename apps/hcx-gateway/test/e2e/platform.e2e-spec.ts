/**
 * Platform behaviour of hcx-gateway through HTTP, against the real PostgreSQL and Kafka broker
 * that the e2e global setup started: health, readiness, OpenAPI, metrics, bad input.
 */
import type { RunningService } from '@npi/service-runtime';
import { itServesThePlatformEndpoints } from '@npi/testing';
import { startGateway } from '../support/hcx-fixtures';

describe('hcx-gateway platform endpoints', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = (await startGateway()) as unknown as RunningService;
  }, 60_000);
  afterAll(async () => service?.stop(), 30_000);

  itServesThePlatformEndpoints(() => service.url, { title: 'HCX gateway' });
});
