/**
 * The Nest layer end to end inside one process: a tiny resource app with the guards, fed by the
 * in-process broker (the Kafka path is proven in tests/e2e/auth-revocation.e2e-spec.ts).
 */
import { Catch, Controller, Get, Global, Module, Req, UseFilters } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request, Response } from 'express';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JSONWebKeySet } from 'jose';
import request from 'supertest';
import { AuthClientUpdatedV1, AuthTokenRevokedV1 } from '@npi/kafka-contracts';
import { InProcessBroker, MESSAGE_BROKER, connectBrokerEvents, publishEvent } from '@npi/messaging';
import { READINESS_REGISTRY, ReadinessRegistry } from '@npi/observability';
import { eventually } from '@npi/testing';
import type { AccessTokenPrincipal } from '../checks/access-token';
import { AuthGuardError, authGuardStatusOf } from '../errors';
import { CurrentPrincipal, NpiMember, Public, RequireScopes } from '../passport/decorators';
import { AuthGuardsModule } from './auth-guards.module';
import { clientIpOf } from './request-state';

const ISSUER = 'https://auth.npi.test';
const AUDIENCE = 'resource-test';

@Catch(AuthGuardError)
class TestFilter implements ExceptionFilter {
  catch(error: AuthGuardError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(authGuardStatusOf(error)).json({ code: error.code });
  }
}

@Controller()
@UseFilters(TestFilter)
@NpiMember()
class ResourceController {
  @Get('open')
  @Public()
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: AccessTokenPrincipal): AccessTokenPrincipal {
    return principal;
  }

  @Get('admin')
  @RequireScopes('admin')
  admin(): { ok: true } {
    return { ok: true };
  }
}

@Controller('ip')
@UseFilters(TestFilter)
class IpController {
  @NpiMember('read')
  @Get()
  ip(@CurrentPrincipal() _principal: AccessTokenPrincipal, @Req() req: Request): { ip: string | undefined } {
    return { ip: clientIpOf(req) };
  }
}

describe('AuthGuardsModule (Nest guards, in-process broker)', () => {
  let privateKey: CryptoKey;
  let jwks: JSONWebKeySet;
  const broker = new InProcessBroker();
  const apps: INestApplication[] = [];
  const readinessOf: ReadinessRegistry[] = [];
  let app: INestApplication;
  let proxiedApp: INestApplication;
  let counter = 0;

  async function start(trustedProxies: string[]): Promise<INestApplication> {
    // What PlatformModule does in a service: the broker and the readiness registry, globally.
    const readiness = new ReadinessRegistry();
    readinessOf.push(readiness);
    @Global()
    @Module({ providers: [{ provide: MESSAGE_BROKER, useValue: broker }, { provide: READINESS_REGISTRY, useValue: readiness }], exports: [MESSAGE_BROKER, READINESS_REGISTRY] })
    class FakePlatformModule {}
    @Module({
      imports: [FakePlatformModule, AuthGuardsModule.forRoot({ issuer: ISSUER, audience: AUDIENCE, jwks, trustedProxies })],
      controllers: [ResourceController, IpController],
    })
    class TestModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    const created = moduleRef.createNestApplication({ logger: false });
    // What startService does: the caches' @EventPattern handlers subscribe through the broker transport.
    connectBrokerEvents(created, { broker, groupPrefix: 'auth-guards-spec', readiness });
    await created.init();
    await created.startAllMicroservices();
    apps.push(created);
    return created;
  }

  async function token(claims: Record<string, unknown> = {}): Promise<string> {
    counter += 1;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', client_id: 'bank-a', scope: 'read write', jti: `jti-${counter}`, iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
      .sign(privateKey);
  }

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
    app = await start([]);
    proxiedApp = await start(['127.0.0.1/32', '::1/128']);
    await publishEvent(broker, AuthClientUpdatedV1, { clientId: 'bank-a', revision: 1, status: 'ACTIVE', allowedCidrs: ['127.0.0.1/32', '::1/128'] }, { producer: 'test' });
    await publishEvent(broker, AuthClientUpdatedV1, { clientId: 'bank-far', revision: 1, status: 'ACTIVE', allowedCidrs: ['203.0.113.0/24'] }, { producer: 'test' });
    const probe = await token();
    await eventually(async () => {
      await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${probe}`).expect(200);
      await request(proxiedApp.getHttpServer()).get('/me').set('authorization', `Bearer ${probe}`).set('x-forwarded-for', '127.0.0.1').expect(200);
    });
  });

  afterAll(async () => {
    for (const created of apps) await created.close();
    await broker.close();
  });

  it('makes the pod ready only through the caches\' caught-up check', async () => {
    const check = readinessOf[0].list().find((candidate) => candidate.name === 'authGuardsCaches');
    expect(check).toBeDefined();
    await eventually(async () => expect(await check?.check()).toEqual({ caughtUp: true }));
  });

  it('lets public routes through without a token', async () => {
    await request(app.getHttpServer()).get('/open').expect(200, { ok: true });
  });

  it('refuses a missing or malformed bearer token with ERR_TOKEN_MISSING', async () => {
    await request(app.getHttpServer()).get('/me').expect(401, { code: 'ERR_TOKEN_MISSING' });
    await request(app.getHttpServer()).get('/me').set('authorization', 'Basic Zm9vOmJhcg==').expect(401, { code: 'ERR_TOKEN_MISSING' });
  });

  it('gives the handler the principal of a valid token', async () => {
    const response = await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${await token()}`).expect(200);
    expect(response.body).toMatchObject({ clientId: 'bank-a', subject: 'alice', scopes: ['read', 'write'] });
  });

  it('refuses an invalid or expired token with its code', async () => {
    await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${await token({ aud: 'other' })}`).expect(401, { code: 'ERR_TOKEN_INVALID' });
    const past = Math.floor(Date.now() / 1000) - 1000;
    await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${await token({ iat: past, exp: past + 300 })}`).expect(401, { code: 'ERR_TOKEN_EXPIRED' });
  });

  it('refuses a token without the required scope with ERR_INSUFFICIENT_SCOPE', async () => {
    await request(app.getHttpServer()).get('/admin').set('authorization', `Bearer ${await token()}`).expect(403, { code: 'ERR_INSUFFICIENT_SCOPE' });
    await request(app.getHttpServer()).get('/admin').set('authorization', `Bearer ${await token({ scope: 'read admin' })}`).expect(200);
  });

  it('refuses a token once its revocation event arrives (by jti, then by client/subject cut-off)', async () => {
    const jwt = await token();
    const jti = `jti-${counter}`;
    await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${jwt}`).expect(200);
    const expiresAt = new Date(Date.now() + 300_000).toISOString();
    await publishEvent(broker, AuthTokenRevokedV1, { reason: 'revoked', jtis: [jti], expiresAt }, { producer: 'test' });
    await eventually(() => request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${jwt}`).expect(401, { code: 'ERR_TOKEN_REVOKED' }));

    const bobToken = await token({ sub: 'bob' });
    await publishEvent(
      broker,
      AuthTokenRevokedV1,
      { reason: 'user_disabled', jtis: [], clientId: 'bank-a', subject: 'bob', revokedBefore: new Date(Date.now() + 1000).toISOString(), expiresAt },
      { producer: 'test' },
    );
    await eventually(() => request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${bobToken}`).expect(401, { code: 'ERR_TOKEN_REVOKED' }));
    await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${await token()}`).expect(200);
  });

  it('refuses a client whose CIDRs exclude the source, and an unknown client (fail closed)', async () => {
    await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${await token({ client_id: 'bank-far' })}`).expect(403, { code: 'ERR_SOURCE_IP_NOT_ALLOWED' });
    await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${await token({ client_id: 'bank-unknown' })}`).expect(403, { code: 'ERR_SOURCE_IP_NOT_ALLOWED' });
  });

  it('ignores X-Forwarded-For from an untrusted peer and honours it from a trusted proxy', async () => {
    const far = await token({ client_id: 'bank-far' });
    // Untrusted peer: claiming an allowed address changes nothing, claiming another changes nothing.
    await request(app.getHttpServer()).get('/me').set('authorization', `Bearer ${far}`).set('x-forwarded-for', '203.0.113.5').expect(403, { code: 'ERR_SOURCE_IP_NOT_ALLOWED' });
    const near = await token();
    const spoof = await request(app.getHttpServer()).get('/ip').set('authorization', `Bearer ${near}`).set('x-forwarded-for', '198.51.100.1').expect(200);
    expect(['127.0.0.1', '::1']).toContain(spoof.body.ip);
    // Trusted proxy (loopback): the right-most untrusted address is the client.
    await request(proxiedApp.getHttpServer()).get('/me').set('authorization', `Bearer ${far}`).set('x-forwarded-for', '203.0.113.5').expect(200);
    await request(proxiedApp.getHttpServer()).get('/me').set('authorization', `Bearer ${far}`).set('x-forwarded-for', '203.0.113.5, 198.51.100.1').expect(403, { code: 'ERR_SOURCE_IP_NOT_ALLOWED' });
    await request(proxiedApp.getHttpServer()).get('/me').set('authorization', `Bearer ${near}`).set('x-forwarded-for', '198.51.100.1').expect(403, { code: 'ERR_SOURCE_IP_NOT_ALLOWED' });
  });
});
