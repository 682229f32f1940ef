/**
 * The cross-service proof: auth-service and a resource service (a tiny Nest
 * app built only from libs/auth-guards, as payment-service is) run against the real Kafka broker.
 * An independent OAuth client (plain fetch, form bodies) obtains a token, the resource accepts it
 * offline through auth-service's JWKS, and once the auth.token.revoked.v1 event has arrived the
 * resource refuses the token within a second: after RFC 7009 revocation, after refresh-token
 * reuse revokes the whole family (rotating client), and after a reusable refresh token is revoked
 * (every access token issued from it).
 */
import { randomUUID } from 'node:crypto';
import { Catch, Controller, Get, Global, Module, UseFilters } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import { AuthGuardError, AuthGuardsModule, CurrentPrincipal, NpiMember, authGuardStatusOf } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { AuthAuditRecordedV1, AuthTokenRevokedV1 } from '@npi/kafka-contracts';
import { KafkaBroker, MESSAGE_BROKER, connectBrokerEvents, subscribeToEvent } from '@npi/messaging';
import type { Subscription } from '@npi/messaging';
import { eventually } from '@npi/testing';
import { AuthAdminService } from '../../apps/auth-service/src/admin/auth-admin.service';
import { postForm, startAuthService } from '../../apps/auth-service/test/support/auth-test-service';
import type { StartedAuth } from '../../apps/auth-service/test/support/auth-test-service';

jest.setTimeout(60_000);

@Catch(AuthGuardError)
class ResourceErrorsFilter implements ExceptionFilter {
  catch(error: AuthGuardError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(authGuardStatusOf(error)).json({ code: error.code });
  }
}

@Controller('accounts')
@UseFilters(ResourceErrorsFilter)
@NpiMember()
class AccountsController {
  @Get('me')
  @NpiMember('read')
  me(@CurrentPrincipal() principal: AccessTokenPrincipal): { clientId: string; subject: string } {
    return { clientId: principal.clientId, subject: principal.subject };
  }
}

describe('a resource service refuses a revoked token once the revocation event arrives over Kafka', () => {
  let auth: StartedAuth;
  let resource: INestApplication;
  let resourceUrl: string;
  let resourceBroker: KafkaBroker;
  let observerBroker: KafkaBroker;
  let observer: Subscription;
  let auditObserver: Subscription;
  const audits: { data: Record<string, unknown>; raw: string }[] = [];
  let bank: { clientId: string; clientSecret: string };
  let user: { username: string; password: string };
  /** jti -> when the test's own consumer saw the revocation event for it (the "arrival"). */
  const arrivals = new Map<string, number>();

  const token = (form: Record<string, string>) => postForm(`${auth.url}/oauth/token`, form, { basic: { id: bank.clientId, secret: bank.clientSecret } });
  const callResource = async (accessToken: string) => {
    const response = await fetch(`${resourceUrl}/accounts/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const jtiOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { jti: string }).jti;

  /** Waits for the event to arrive, then gives the resource at most one second to refuse the token. */
  async function expectRefusedWithinASecondOfArrival(accessToken: string) {
    const jti = jtiOf(accessToken);
    await eventually(() => arrivals.has(jti), { timeoutMs: 30_000 });
    const refused = await eventually(
      async () => {
        const response = await callResource(accessToken);
        expect(response.status).toBe(401);
        return response;
      },
      { timeoutMs: 1_000, intervalMs: 10 },
    );
    expect(refused.body).toEqual({ code: 'ERR_TOKEN_REVOKED' });
  }

  beforeAll(async () => {
    auth = await startAuthService();
    // Reuse detection belongs to the rotating policy (opt-in); the default, reusable, is tested below.
    bank = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'], refreshTokenPolicy: 'rotating' });
    user = await auth.createUser(bank.clientId);

    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
    observerBroker = new KafkaBroker({ brokers, clientId: 'revocation-observer' });
    observer = await subscribeToEvent(observerBroker, {
      groupId: `revocation-observer-${randomUUID()}`,
      contract: AuthTokenRevokedV1,
      fromBeginning: false,
      handler: async (event) => {
        for (const jti of event.data.jtis) if (!arrivals.has(jti)) arrivals.set(jti, Date.now());
      },
    });

    auditObserver = await subscribeToEvent(observerBroker, {
      groupId: `audit-observer-${randomUUID()}`,
      contract: AuthAuditRecordedV1,
      fromBeginning: false,
      handler: async (event, message) => {
        audits.push({ data: event.data, raw: message.value });
      },
    });

    resourceBroker = new KafkaBroker({ brokers, clientId: 'resource-under-test' });
    @Global()
    @Module({ providers: [{ provide: MESSAGE_BROKER, useValue: resourceBroker }], exports: [MESSAGE_BROKER] })
    class BrokerModule {}
    @Module({
      imports: [
        BrokerModule,
        AuthGuardsModule.forRoot({
          issuer: 'http://auth.npi.test',
          audience: 'npi',
          jwksUrl: `${auth.url}/.well-known/jwks.json`,
          trustedProxies: [],
        }),
      ],
      controllers: [AccountsController],
    })
    class ResourceModule {}
    resource = await NestFactory.create(ResourceModule, { logger: false });
    connectBrokerEvents(resource, { broker: resourceBroker, groupPrefix: 'resource-under-test' });
    await resource.init();
    await resource.startAllMicroservices();
    await resource.listen(0, '127.0.0.1');
    resourceUrl = `http://127.0.0.1:${(resource.getHttpServer().address() as { port: number }).port}`;
  }, 90_000);

  afterAll(async () => {
    await resource?.close();
    await observer?.close();
    await auditObserver?.close();
    await resourceBroker?.close();
    await observerBroker?.close();
    await auth?.stop();
  }, 30_000);

  it('accepts the access token offline (JWKS) once the client allowlist event arrived, then refuses it after RFC 7009 revocation', async () => {
    const pair = await token({ grant_type: 'password', username: user.username, password: user.password });
    expect(pair.status).toBe(200);
    const accessToken = pair.body.access_token as string;
    // The resource learns the client's CIDRs from auth.client.updated.v1; until then it fails closed.
    const accepted = await eventually(
      async () => {
        const response = await callResource(accessToken);
        expect(response.status).toBe(200);
        return response;
      },
      { timeoutMs: 30_000 },
    );
    expect(accepted.body).toEqual({ clientId: bank.clientId, subject: user.username });

    const revoked = await postForm(`${auth.url}/oauth/revoke`, { token: accessToken, token_type_hint: 'access_token' }, { basic: { id: bank.clientId, secret: bank.clientSecret } });
    expect(revoked.status).toBe(200);
    await expectRefusedWithinASecondOfArrival(accessToken);
  });

  it('refresh-token reuse revokes the family: the newest access token is refused too', async () => {
    const first = await token({ grant_type: 'password', username: user.username, password: user.password });
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string });
    expect(second.status).toBe(200);
    const newest = second.body.access_token as string;
    await eventually(async () => expect((await callResource(newest)).status).toBe(200), { timeoutMs: 30_000 });

    // An attacker replays the stolen, already-rotated refresh token.
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string });
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_REFRESH_TOKEN_REUSED' });
    await expectRefusedWithinASecondOfArrival(newest);
  });

  it('revoking a reusable refresh token refuses every access token issued from it', async () => {
    const member = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'], refreshTokenPolicy: 'reusable' });
    const memberUser = await auth.createUser(member.clientId);
    const basic = { id: member.clientId, secret: member.clientSecret };
    const pair = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: memberUser.username, password: memberUser.password }, { basic });
    const stored = pair.body.refresh_token as string;
    const fromStored = [];
    for (let index = 0; index < 2; index += 1) {
      const refreshed = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: stored }, { basic });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).toBe(stored);
      fromStored.push(refreshed.body.access_token as string);
    }
    for (const accessToken of fromStored) await eventually(async () => expect((await callResource(accessToken)).status).toBe(200), { timeoutMs: 30_000 });

    const revoked = await postForm(`${auth.url}/oauth/revoke`, { token: stored, token_type_hint: 'refresh_token' }, { basic });
    expect(revoked.status).toBe(200);
    for (const accessToken of [pair.body.access_token as string, ...fromStored]) await expectRefusedWithinASecondOfArrival(accessToken);
    const after = await postForm(`${auth.url}/oauth/token`, { grant_type: 'refresh_token', refresh_token: stored }, { basic });
    expect(after.body).toMatchObject({ error: 'invalid_grant', error_code: 'ERR_INVALID_GRANT' });
  });

  it('still refuses a token of a client whose CIDRs exclude the caller (ERR_SOURCE_IP_NOT_ALLOWED)', async () => {
    const far = await auth.createClient({ allowedCidrs: ['127.0.0.1/32', '::1/128'] });
    const farUser = await auth.createUser(far.clientId);
    const pair = await postForm(`${auth.url}/oauth/token`, { grant_type: 'password', username: farUser.username, password: farUser.password }, { basic: { id: far.clientId, secret: far.clientSecret } });
    const accessToken = pair.body.access_token as string;
    await eventually(async () => expect((await callResource(accessToken)).status).toBe(200), { timeoutMs: 30_000 });
    // The operator narrows the client's CIDRs; the resource hears it over Kafka.
    await auth.service.app.get(AuthAdminService).updateClient(far.clientId, { allowedCidrs: ['10.0.0.0/8'] }, { sourceIp: '127.0.0.1' }, 'test');
    await eventually(async () => expect((await callResource(accessToken)).body).toEqual({ code: 'ERR_SOURCE_IP_NOT_ALLOWED' }), { timeoutMs: 30_000 });
  });

  it('records every success and failure as auth.audit.recorded.v1, without secrets', async () => {
    const wrong = await token({ grant_type: 'password', username: user.username, password: 'Wrong-Password-123' });
    expect(wrong.body).toMatchObject({ error_code: 'ERR_INVALID_GRANT' });
    const right = await token({ grant_type: 'password', username: user.username, password: user.password });
    expect(right.status).toBe(200);
    const mine = () => audits.filter((audit) => audit.data.clientId === bank.clientId && audit.data.action === 'token.password');
    await eventually(() => {
      expect(mine().some((audit) => audit.data.outcome === 'failure' && audit.data.error === 'ERR_INVALID_GRANT' && audit.data.username === user.username)).toBe(true);
      expect(mine().some((audit) => audit.data.outcome === 'success' && audit.data.sourceIp === '127.0.0.1')).toBe(true);
    }, { timeoutMs: 30_000 });
    for (const audit of audits) {
      for (const secret of [user.password, 'Wrong-Password-123', bank.clientSecret, right.body.access_token as string, right.body.refresh_token as string]) {
        expect(audit.raw).not.toContain(secret);
      }
    }
  });
});
