/**
 * Platform behaviour of payment-service through HTTP, against the real PostgreSQL and Kafka broker
 * that the e2e global setup started: health, readiness, OpenAPI, metrics, bad input.
 */
import type { RunningService } from '@npi/service-runtime';
import { itServesThePlatformEndpoints } from '@npi/testing';
import { startLocalIssuer, startPaymentService } from '../support/payment-harness';
import type { LocalIssuer } from '../support/payment-harness';

describe('payment-service platform endpoints', () => {
  let service: RunningService;
  let issuer: LocalIssuer;

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    service = (await startPaymentService(issuer)).service as unknown as RunningService;
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await issuer?.close();
  }, 30_000);

  itServesThePlatformEndpoints(() => service.url, { title: 'NPI payment-service' });
});
