/**
 * The operator and HCX strategies through their decorators in small Nest apps: two services with
 * different operator tokens in one process (passport's registry is per process), the HCX policies
 * (operator, participant, either) and the refusals, fail closed.
 */
import { Catch, Controller, Get, UseFilters } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import request from 'supertest';
import { AuthGuardError, authGuardStatusOf } from '../errors';
import { CurrentPrincipal, HcxOperator, HcxParticipant, Operator, Public } from './decorators';
import type { HcxApiKeyVerifierPort } from './hcx-api-key.strategy';
import { HcxAccessModule, OperatorAuthModule } from './modules';
import { OperatorTokenStrategy } from './operator.strategy';

class ApiKeyRefused extends Error {}

@Catch()
class CodeFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof AuthGuardError) response.status(authGuardStatusOf(error)).json({ code: error.code });
    else if (error instanceof ApiKeyRefused) response.status(401).json({ code: 'API_KEY_REFUSED' });
    else response.status(500).json({ code: 'INTERNAL' });
  }
}

@Controller()
@UseFilters(CodeFilter)
@Operator()
class AdminController {
  @Get('admin')
  admin(@CurrentPrincipal() principal: unknown): unknown {
    return principal;
  }

  @Get('open')
  @Public()
  open(): { ok: true } {
    return { ok: true };
  }
}

@Controller('hcx')
@UseFilters(CodeFilter)
@HcxParticipant()
class HcxController {
  @Get('participant')
  participant(@CurrentPrincipal() principal: unknown): unknown {
    return principal;
  }

  @Get('either')
  @HcxParticipant({ orOperator: true })
  either(@CurrentPrincipal() principal: unknown): unknown {
    return principal;
  }

  @Get('operator')
  @HcxOperator()
  operator(): { ok: true } {
    return { ok: true };
  }
}

const verifier: HcxApiKeyVerifierPort = {
  async verifyAuthorization(authorization) {
    if (authorization === 'Bearer key-of-prov') return { participantCode: 'prov@hcx' };
    throw new ApiKeyRefused();
  },
};

async function operatorApp(token: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [OperatorAuthModule.forRoot({ token })], controllers: [AdminController] }).compile();
  return moduleRef.createNestApplication({ logger: false }).init();
}

describe('operator and HCX strategies', () => {
  const apps: INestApplication[] = [];
  let payment: INestApplication;
  let session: INestApplication;
  let hcx: INestApplication;

  beforeAll(async () => {
    payment = await operatorApp('payment-operator-token-0123456789');
    session = await operatorApp('session-operator-token-0123456789');
    const moduleRef = await Test.createTestingModule({
      imports: [OperatorAuthModule.forRoot({ inject: [], useFactory: () => ({ token: 'hcx-operator-token-0123456789' }) }), HcxAccessModule.forRoot({ useFactory: () => verifier })],
      controllers: [HcxController],
    }).compile();
    hcx = await moduleRef.createNestApplication({ logger: false }).init();
    apps.push(payment, session, hcx);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('each service accepts its own operator token only, also when both run in one process', async () => {
    await request(payment.getHttpServer()).get('/admin').set('authorization', 'Bearer payment-operator-token-0123456789').expect(200, { kind: 'operator' });
    await request(session.getHttpServer()).get('/admin').set('authorization', 'Bearer session-operator-token-0123456789').expect(200, { kind: 'operator' });
    await request(payment.getHttpServer()).get('/admin').set('authorization', 'Bearer session-operator-token-0123456789').expect(401, { code: 'ERR_OPERATOR_TOKEN_REQUIRED' });
    await request(session.getHttpServer()).get('/admin').set('authorization', 'Bearer payment-operator-token-0123456789').expect(401, { code: 'ERR_OPERATOR_TOKEN_REQUIRED' });
  });

  it('refuses a missing, empty, other-scheme or prefixed operator token; lets @Public() through', async () => {
    await request(payment.getHttpServer()).get('/admin').expect(401, { code: 'ERR_OPERATOR_TOKEN_REQUIRED' });
    await request(payment.getHttpServer()).get('/admin').set('authorization', 'Bearer ').expect(401, { code: 'ERR_OPERATOR_TOKEN_REQUIRED' });
    await request(payment.getHttpServer()).get('/admin').set('authorization', 'Basic payment-operator-token-0123456789').expect(401, { code: 'ERR_OPERATOR_TOKEN_REQUIRED' });
    await request(payment.getHttpServer()).get('/admin').set('authorization', 'Bearer payment-operator-token-012345678').expect(401, { code: 'ERR_OPERATOR_TOKEN_REQUIRED' });
    await request(payment.getHttpServer()).get('/open').expect(200, { ok: true });
  });

  it('refuses to start with an empty operator token (fail closed)', () => {
    expect(() => new OperatorTokenStrategy({ token: '' })).toThrow(TypeError);
  });

  it('HCX: a participant key where a participant is required; the operator token is 403 there', async () => {
    await request(hcx.getHttpServer()).get('/hcx/participant').set('authorization', 'Bearer key-of-prov').expect(200, { kind: 'participant', participantCode: 'prov@hcx' });
    await request(hcx.getHttpServer()).get('/hcx/participant').set('authorization', 'Bearer hcx-operator-token-0123456789').expect(403, { code: 'ERR_ROLE_NOT_ALLOWED' });
  });

  it('HCX: either kind where either is allowed; the operator route refuses a valid participant key with 403', async () => {
    await request(hcx.getHttpServer()).get('/hcx/either').set('authorization', 'Bearer key-of-prov').expect(200, { kind: 'participant', participantCode: 'prov@hcx' });
    await request(hcx.getHttpServer()).get('/hcx/either').set('authorization', 'Bearer hcx-operator-token-0123456789').expect(200, { kind: 'operator' });
    await request(hcx.getHttpServer()).get('/hcx/operator').set('authorization', 'Bearer hcx-operator-token-0123456789').expect(200, { ok: true });
    await request(hcx.getHttpServer()).get('/hcx/operator').set('authorization', 'Bearer key-of-prov').expect(403, { code: 'ERR_ROLE_NOT_ALLOWED' });
  });

  it("HCX: a credential that is neither ends with the API-key check's own refusal", async () => {
    await request(hcx.getHttpServer()).get('/hcx/either').set('authorization', 'Bearer forged').expect(401, { code: 'API_KEY_REFUSED' });
    await request(hcx.getHttpServer()).get('/hcx/operator').expect(401, { code: 'API_KEY_REFUSED' });
  });
});
