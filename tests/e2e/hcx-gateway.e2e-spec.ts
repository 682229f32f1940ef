/**
 * hcx-gateway end to end over the real Kafka broker:
 * - two participants get API keys from /token/generate; a provider sends a coverage eligibility
 *   check (JWE made with jose) for a payor; the gateway accepts it; the dispatcher delivers it to the
 *   payor's HTTP server (127.0.0.1), which verifies HCX's RS256 token with the participant verifier
 *   guard; the payor's on_check comes back the same way;
 * - an unreachable recipient ends, after the retries, in a dead letter and an on_check error callback
 *   with ERR_RECIPIENT_NOT_AVAILABLE;
 * - with two gateway instances, rotating a secret makes the old API key fail on both within one
 *   second; the secret is found nowhere in clear in the database, response bodies or captured logs.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, HttpCode, Inject, Module, Post, Req } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request } from 'express';
import { compactDecrypt } from 'jose';
import { Client } from 'pg';
import request from 'supertest';
import { createLogger } from '@npi/observability';
import type { RunningService } from '@npi/service-runtime';
import { eventually } from '@npi/testing';
import type { HcxGatewayConfig } from '../../apps/hcx-gateway/src/config';
import { CurrentPrincipal, FromHcxGateway, HcxParticipantSystemModule } from '@npi/auth-guards';
import type { HcxTokenClaims } from '@npi/auth-guards';
import { ADMIN_TOKEN, apiKeyOf, createParticipant, deliveredSecret, hcxHeaders, jwePayload, participantKeys, startGateway } from '../../apps/hcx-gateway/test/support/hcx-fixtures';
import type { TestParticipant } from '../../apps/hcx-gateway/test/support/hcx-fixtures';

interface Received {
  path: string;
  body: Record<string, unknown>;
  claims: HcxTokenClaims | undefined;
}

const INBOX = Symbol('inbox');

@Controller()
class ParticipantSystemController {
  constructor(@Inject(INBOX) private readonly inbox: Received[]) {}

  @Post('*path')
  @HttpCode(202)
  @FromHcxGateway()
  receive(@Req() req: Request, @Body() body: Record<string, unknown>, @CurrentPrincipal() claims: HcxTokenClaims): { ok: true } {
    this.inbox.push({ path: req.path, body, claims });
    return { ok: true };
  }
}

/** A participant system written in Nest: its HCX endpoints are behind the verifier guard. */
async function startParticipantSystem(jwksUrl: string): Promise<{ app: INestApplication; url: string; inbox: Received[] }> {
  const inbox: Received[] = [];
  @Module({
    imports: [HcxParticipantSystemModule.forRoot({ hcxInstanceId: 'hcx-test-instance', jwksUrl })],
    controllers: [ParticipantSystemController],
    providers: [{ provide: INBOX, useValue: inbox }],
  })
  class ParticipantSystemModule {}
  const app = await NestFactory.create(ParticipantSystemModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, inbox };
}

/** Polls until `probe` yields a value (eventually() with a typed, non-false result). */
function arrival<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  return eventually(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error('not yet');
      return value;
    },
    // Generous: the shared dispatcher group may first work through routed requests of earlier
    // runs (other databases, skipped one by one) before it reaches this run's.
    { timeoutMs: 80_000 },
  );
}

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

jest.setTimeout(90_000);

describe('hcx-gateway over Kafka', () => {
  const logLines: string[] = [];
  const logger = createLogger('hcx-gateway', 'debug', { write: (line: string) => void logLines.push(line) });
  const bodies: string[] = [];
  let a: RunningService<HcxGatewayConfig>;
  let b: RunningService<HcxGatewayConfig>;
  let providerSystem: Awaited<ReturnType<typeof startParticipantSystem>>;
  let payorSystem: Awaited<ReturnType<typeof startParticipantSystem>>;
  let provider: TestParticipant;
  let payor: TestParticipant;

  const dispatchSettings = { HCX_DISPATCHER_ENABLED: 'true', HCX_DISPATCH_TIMEOUT_MS: '2000', HCX_DISPATCH_RETRIES: '3', HCX_DISPATCH_BACKOFF_MS: '50' };
  const record = (response: request.Response) => {
    bodies.push(response.text);
    return response;
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([startGateway(dispatchSettings, { logger }), startGateway(dispatchSettings, { logger })]);
    providerSystem = await startParticipantSystem(`${a.url}/.well-known/jwks.json`);
    payorSystem = await startParticipantSystem(`${b.url}/.well-known/jwks.json`);
    provider = await createParticipant(a.url, { role: 'provider', endpointUrl: providerSystem.url, keys: participantKeys('provider') });
    payor = await createParticipant(a.url, { role: 'payor', endpointUrl: payorSystem.url, keys: participantKeys('payor') });
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), providerSystem?.app.close(), payorSystem?.app.close()]);
  }, 60_000);

  it('routes a check from provider to payor and the on_check back, each verified with the HCX RS256 token', async () => {
    const providerKey = await apiKeyOf(a.url, provider);
    const payorKey = await apiKeyOf(b.url, payor);
    const headers = hcxHeaders(provider.code, payor.code);
    const claim = { resourceType: 'CoverageEligibilityRequest', id: randomUUID() };
    const payload = await jwePayload(payor.keys.publicKey, headers, claim);
    const accepted = record(await request(a.url).post('/v0.8/coverageeligibility/check').set('authorization', `Bearer ${providerKey}`).send({ payload }));
    expect(accepted.status).toBe(202);

    const delivered = await arrival(() => payorSystem.inbox.find((m) => m.body.payload === payload));
    expect(delivered.path).toBe('/coverageeligibility/check');
    expect(delivered.claims).toMatchObject({ iss: 'hcx-test-instance', sub: 'hcx-test-instance', aud: payor.code, jti: expect.any(String) });
    const opened = await compactDecrypt(delivered.body.payload as string, payor.keys.privateKey);
    expect(JSON.parse(new TextDecoder().decode(opened.plaintext))).toEqual(claim);
    expect(opened.protectedHeader['x-hcx-api_call_id']).toBe(headers['x-hcx-api_call_id']);

    const replyHeaders = hcxHeaders(payor.code, provider.code, { 'x-hcx-correlation_id': headers['x-hcx-correlation_id'], 'x-hcx-workflow_id': headers['x-hcx-workflow_id'], 'x-hcx-status': 'response.complete' });
    const reply = await jwePayload(provider.keys.publicKey, replyHeaders, { resourceType: 'CoverageEligibilityResponse' });
    expect(record(await request(b.url).post('/v0.8/coverageeligibility/on_check').set('authorization', `Bearer ${payorKey}`).send({ payload: reply })).status).toBe(202);
    const answer = await arrival(() => providerSystem.inbox.find((m) => m.body.payload === reply));
    expect(answer.path).toBe('/coverageeligibility/on_check');

    const audit = await arrival(async () => {
      const response = await request(a.url).post('/v0.8/audit/search').set('authorization', `Bearer ${providerKey}`).send({ correlation_id: headers['x-hcx-correlation_id'] });
      return response.body.entries.length === 2 && response.body.entries.every((e: { delivery_status: string }) => e.delivery_status === 'delivered') ? response : undefined;
    });
    expect(audit.body.entries.map((e: { api: string }) => e.api).sort()).toEqual(['/coverageeligibility/check', '/coverageeligibility/on_check']);
  });

  it('the participant guard refuses a call without a valid HCX token (401 ERR_HCX_TOKEN_MISSING / ERR_HCX_TOKEN_INVALID)', async () => {
    const missing = await request(payorSystem.url).post('/coverageeligibility/check').send({}).expect(401);
    expect(missing.body.error.code).toBe('ERR_HCX_TOKEN_MISSING');
    const forged = await apiKeyOf(a.url, provider); // an HS256 key is not an HCX RS256 token
    const refused = await request(payorSystem.url).post('/coverageeligibility/check').set('authorization', `Bearer ${forged}`).send({}).expect(401);
    expect(refused.body.error.code).toBe('ERR_HCX_TOKEN_INVALID');
  });

  it('an unreachable recipient ends, after 1 + 3 tries, in a dead letter and an on_check ERR_RECIPIENT_NOT_AVAILABLE callback', async () => {
    const unreachable = await createParticipant(a.url, { role: 'payor', endpointUrl: `http://127.0.0.1:${await closedPort()}` });
    const providerKey = await apiKeyOf(a.url, provider);
    const headers = hcxHeaders(provider.code, unreachable.code);
    const payload = await jwePayload(unreachable.keys.publicKey, headers);
    expect(record(await request(a.url).post('/v0.8/coverageeligibility/check').set('authorization', `Bearer ${providerKey}`).send({ payload })).status).toBe(202);
    const callback = await arrival(() => providerSystem.inbox.find((m) => m.body['x-hcx-correlation_id'] === headers['x-hcx-correlation_id']));
    expect(callback.path).toBe('/coverageeligibility/on_check');
    expect(callback.body).toMatchObject({
      'x-hcx-sender_code': 'hcx-test-instance',
      'x-hcx-recipient_code': provider.code,
      'x-hcx-status': 'response.error',
      'x-hcx-error_details': { code: 'ERR_RECIPIENT_NOT_AVAILABLE' },
    });
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const rows = await arrival(async () => {
        const result = await db.query(
          `SELECT d.attempts, d.callback_status, c.delivery_status FROM hcx.dead_letter d JOIN hcx.api_call c ON c.id = d.api_call_row_id WHERE c.sender_code = $1 AND c.api_call_id = $2`,
          [provider.code, headers['x-hcx-api_call_id']],
        );
        return result.rows.length === 1 ? result.rows : undefined;
      });
      expect(rows[0]).toEqual({ attempts: 4, callback_status: 'delivered', delivery_status: 'dead_lettered' });
    } finally {
      await db.end();
    }
  });

  it('routes a plain-JSON ProtocolResponse (response.error) to the provider as JSON, verified with the HCX RS256 token', async () => {
    const payorKey = await apiKeyOf(b.url, payor);
    const error = hcxHeaders(payor.code, provider.code, { 'x-hcx-status': 'response.error', 'x-hcx-error_details': { code: 'ERR_DOMAIN_PROCESSING', message: 'member not covered', trace: 'policy lapsed' } });
    expect(record(await request(b.url).post('/v0.8/coverageeligibility/on_check').set('authorization', `Bearer ${payorKey}`).send(error)).status).toBe(202);
    const arrived = await arrival(() => providerSystem.inbox.find((m) => m.body['x-hcx-api_call_id'] === error['x-hcx-api_call_id']));
    expect(arrived.path).toBe('/coverageeligibility/on_check');
    expect(arrived.body).toEqual(error);
    expect(arrived.claims).toMatchObject({ iss: 'hcx-test-instance', sub: 'hcx-test-instance' });
  });

  it('rotating a secret makes the old API key fail on both instances within one second; the secret is nowhere in clear', async () => {
    const participant = await createParticipant(a.url, { role: 'provider' });
    const oldKey = await apiKeyOf(a.url, participant);
    const call = (service: RunningService<HcxGatewayConfig>, key: string) => request(service.url).get('/participants').query({ limit: 1 }).set('authorization', `Bearer ${key}`);
    expect(record(await call(a, oldKey)).status).toBe(200);
    expect(record(await call(b, oldKey)).status).toBe(200); // both replicas now hold the secret in their cache

    const rotated = await request(a.url).post(`/participants/${encodeURIComponent(participant.code)}/secret/rotate`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    record(rotated);
    expect(rotated.body.client_secret).toBeUndefined();
    // The requirement: "the old key fails on both within one second" (the bound under test, not a speed claim).
    await eventually(
      async () => {
        const [onA, onB] = await Promise.all([call(a, oldKey), call(b, oldKey)]);
        record(onA);
        record(onB);
        return onA.status === 401 && onB.status === 401 && onB.body.error.code === 'ERR_ACCESS_DENIED';
      },
      { timeoutMs: 1_000, intervalMs: 20 },
    );
    const newSecret = await deliveredSecret(participant.code, participant.clientSecret);
    const newKey = await apiKeyOf(b.url, { ...participant, clientSecret: newSecret });
    expect(record(await call(a, newKey)).status).toBe(200);

    const secrets = [participant.clientSecret, newSecret, provider.clientSecret, payor.clientSecret];
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      for (const table of ['participant', 'api_call', 'dead_letter', 'signing_key', 'outbox_event', 'processed_event', 'secret_delivery']) {
        for (const secret of secrets) {
          const found = await db.query(`SELECT count(*)::int AS n FROM hcx.${table} t WHERE t::text LIKE '%' || $1 || '%'`, [secret]);
          expect({ table, n: found.rows[0].n }).toEqual({ table, n: 0 });
        }
      }
    } finally {
      await db.end();
    }
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
      expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
    }
  });
});
