/**
 * Pluggable issuers: next to the built-in HS256 issuer, an external IdP configured by
 * issuer + JWKS URL (RS256/ES256) whose `participant_code` claim maps to a participant.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK } from 'jose';
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../../src/config';
import { ADMIN_TOKEN, apiKeyOf, createParticipant, startGateway } from '../support/hcx-fixtures';
import type { TestParticipant } from '../support/hcx-fixtures';

const IDP = 'https://idp.hfr.test';

describe('hcx-gateway external issuers', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let jwksServer: http.Server;
  let gateway: RunningService<HcxGatewayConfig>;
  let provider: TestParticipant;

  beforeAll(async () => {
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwksServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    gateway = await startGateway({ HCX_EXTERNAL_ISSUERS: JSON.stringify([{ issuer: IDP, jwksUrl, algorithms: ['RS256', 'ES256'], participantClaim: 'participant_code' }]) });
    provider = await createParticipant(gateway.url, { role: 'provider' });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => jwksServer?.close(resolve));
  }, 30_000);

  const idpToken = (alg: 'RS256' | 'ES256', claims: Record<string, unknown> = {}, lifetime = 300) =>
    new SignJWT({ participant_code: provider.code, ...claims })
      .setProtectedHeader({ alg, kid: alg === 'RS256' ? 'rsa-1' : 'ec-1' })
      .setIssuer(IDP)
      .setSubject(`svc-${randomUUID()}`)
      .setIssuedAt()
      .setExpirationTime(`${lifetime}s`)
      .sign(alg === 'RS256' ? rsa.privateKey : ec.privateKey);
  const call = (token: string) => request(gateway.url).get('/participants').query({ limit: 1 }).set('authorization', `Bearer ${token}`);

  it.each(['RS256', 'ES256'] as const)('accepts an IdP token signed with %s and maps participant_code to the participant', async (alg) => {
    await call(await idpToken(alg)).expect(200);
  });

  it('still accepts the built-in HS256 API keys', async () => {
    await call(await apiKeyOf(gateway.url, provider)).expect(200);
  });

  it('refuses an IdP token without the participant claim, for an unknown participant, or expired (401 ERR_ACCESS_DENIED)', async () => {
    for (const token of [await idpToken('RS256', { participant_code: undefined }), await idpToken('ES256', { participant_code: `nobody-${randomUUID()}` }), await idpToken('RS256', {}, -60)]) {
      const response = await call(token).expect(401);
      expect(response.body.error.code).toBe('ERR_ACCESS_DENIED');
    }
  });

  it('refuses an HS256 token claiming the IdP as issuer (no algorithm confusion) and a token of an untrusted issuer', async () => {
    const hs = await new SignJWT({ participant_code: provider.code }).setProtectedHeader({ alg: 'HS256' }).setIssuer(IDP).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(provider.clientSecret));
    expect((await call(hs).expect(401)).body.error.code).toBe('ERR_ACCESS_DENIED');
    const other = await new SignJWT({ participant_code: provider.code }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setIssuer('https://other.test').setIssuedAt().setExpirationTime('5m').sign(rsa.privateKey);
    expect((await call(other).expect(401)).body.error.code).toBe('ERR_ACCESS_DENIED');
  });

  it('refuses IdP tokens of a participant that is no longer Active', async () => {
    await request(gateway.url).post(`/participants/${encodeURIComponent(provider.code)}/status`).set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ status: 'Inactive' }).expect(200);
    const response = await call(await idpToken('ES256')).expect(401);
    expect(response.body.error).toEqual({ code: 'ERR_ACCESS_DENIED', message: 'participant is not active', trace: '' });
  });
});
