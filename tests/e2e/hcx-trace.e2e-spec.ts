/**
 * One HCX request is one trace (OpenTelemetry, W3C traceparent): the HTTP acceptance, the outbox
 * relay's publish, the Kafka hop to the dispatcher and the delivery to the recipient, over the real
 * broker, recorded by an in-memory span exporter. The recipient receives the trace's traceparent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import request from 'supertest';
import { configureTracing, shutdownTracing } from '@npi/observability';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import type { HcxGatewayConfig } from '../../apps/hcx-gateway/src/config';
import { apiKeyOf, createParticipant, hcxHeaders, jwePayload, participantKeys, startGateway } from '../../apps/hcx-gateway/test/support/hcx-fixtures';

jest.setTimeout(120_000);

describe('tracing one HCX request across HTTP, the outbox, Kafka and the delivery', () => {
  const exporter = new InMemorySpanExporter();
  const received: { traceparent?: string; body: string }[] = [];
  let gateway: RunningService<HcxGatewayConfig>;
  let recipient: http.Server;

  beforeAll(async () => {
    configureTracing({ serviceName: 'hcx-gateway', exporter });
    recipient = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ traceparent: req.headers.traceparent as string | undefined, body });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => recipient.listen(0, '127.0.0.1', resolve));
    gateway = await startGateway({ HCX_DISPATCHER_ENABLED: 'true', HCX_DISPATCH_TIMEOUT_MS: '2000', HCX_DISPATCH_RETRIES: '1', HCX_DISPATCH_BACKOFF_MS: '50' });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await new Promise<void>((resolve) => recipient?.close(() => resolve()));
    await shutdownTracing();
  });

  it('shows acceptance, relay, Kafka hop and delivery as one trace, and hands the recipient its traceparent', async () => {
    const { port } = recipient.address() as AddressInfo;
    const provider = await createParticipant(gateway.url, { role: 'provider', keys: participantKeys('trace-provider') });
    const payor = await createParticipant(gateway.url, { role: 'payor', endpointUrl: `http://127.0.0.1:${port}`, keys: participantKeys('trace-payor') });
    const key = await apiKeyOf(gateway.url, provider);
    const payload = await jwePayload(payor.keys.publicKey, hcxHeaders(provider.code, payor.code));

    await request(gateway.url).post('/v0.8/coverageeligibility/check').set('authorization', `Bearer ${key}`).send({ payload }).expect(202);
    const delivery = await eventually(
      () => {
        const found = received.find((r) => r.body.includes(payload));
        if (!found) throw new Error('not delivered yet');
        return found;
      },
      { timeoutMs: 90_000 },
    );

    const all = () => exporter.getFinishedSpans();
    const deliver = await eventually(() => {
      const span = all().find((s) => s.name === 'hcx deliver' && s.attributes['hcx.recipient_code'] === payor.code);
      if (!span) throw new Error(`no delivery span among ${all().map((s) => s.name).join(', ')}`);
      return span;
    });
    const traceId = deliver.spanContext().traceId;
    const ofTrace = all().filter((s) => s.spanContext().traceId === traceId);
    const parentOf = (span: (typeof ofTrace)[number]) => ofTrace.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);
    // Walk up from the delivery: each hop is the child of the one before it, back to the HTTP acceptance.
    const processed = parentOf(deliver);
    expect(processed).toMatchObject({ name: 'hcx.request.routed.v1 process', kind: SpanKind.CONSUMER });
    const published = parentOf(processed!);
    expect(published).toMatchObject({ name: 'hcx.request.routed.v1 publish', kind: SpanKind.PRODUCER });
    const acceptance = parentOf(published!);
    expect(acceptance).toMatchObject({ name: expect.stringMatching(/^POST \/v0\.8\/.*check$/), kind: SpanKind.SERVER });
    expect(acceptance!.parentSpanContext).toBeUndefined();
    const byName = (name: string) => ofTrace.find((s) => s.name === name)!;
    // The participant system can continue the same trace.
    expect(delivery.traceparent).toMatch(new RegExp(`^00-${traceId}-${byName('hcx deliver').spanContext().spanId}-01$`));
  });
});
