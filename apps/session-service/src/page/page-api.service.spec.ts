import pino from 'pino';
import { ManualClock } from '@npi/service-runtime';
import { billersHostParticipant } from '@npi/testing';
import type { BillerRecord, ParticipantRecord } from '@npi/session/data-access';
import type { SessionServiceConfig } from '../config';
import type { NpiObjectSealer } from '../envelope/envelope';
import { PageApiError } from '../errors';
import { DEMO_BILLERS } from '../registry/demo-billers';
import { billerInput } from '../registry/registry.contracts';
import { InMemoryBillerRepository, InMemoryBillersSessionRepository, InMemoryChargeSlabRepository, InMemoryHostParticipantRepository } from '../testing/in-memory.repositories';
import { PageApiService, pageCookieName } from './page-api.service';
import type { PageCall } from './page-api.service';
import { PageTokens } from './page-token';

/** The page API's rules (README "Page API errors") with in-memory repositories and a recording sealer. */
const OWN_ORIGIN = 'https://billers.example';
const HOST_ORIGIN = 'https://bank.example';
const SECRET = 's'.repeat(48);
const SESSION = 'bank_8a7c4a8e-8f0e-4a59-9b1e-3c1f0b6f2d11';

const participant = (): ParticipantRecord => billersHostParticipant({ hostOrigins: [HOST_ORIGIN], enabledBillers: ['NTC', 'OFF'] });
const biller = (code: string, enabled = true): BillerRecord => ({ code, ...billerInput.parse(DEMO_BILLERS['NTC-PREPAID']), enabled });

async function world(options: { channel?: string; lifetimeMs?: number; participant?: ParticipantRecord } = {}) {
  const clock = new ManualClock();
  const participants = new InMemoryHostParticipantRepository();
  const billers = new InMemoryBillerRepository();
  const sessions = new InMemoryBillersSessionRepository();
  const chargeSlabs = new InMemoryChargeSlabRepository();
  const sealed: { npiObject: Record<string, unknown>; participant: string }[] = [];
  const sealer: NpiObjectSealer = {
    seal: async (npiObject, sealedFor) => {
      sealed.push({ npiObject, participant: sealedFor.code });
      return `sealed-for-${sealedFor.code}`;
    },
  };
  await participants.upsert(options.participant ?? participant());
  await billers.upsert(biller('NTC'));
  await billers.upsert(biller('OFF', false));
  await billers.upsert(biller('NEA'));
  await chargeSlabs.replace('NPI-NTC-APP-1', [{ maxAmount: '100000', minChargeAmount: '5', maxChargeAmount: '50', percent: '1' }], clock.now());
  const expiresAt = new Date(clock.now().getTime() + (options.lifetimeMs ?? 3_600_000));
  await sessions.createIfAbsent({ sessionId: SESSION, participantCode: 'bank', channel: options.channel ?? 'web', createdAt: clock.now(), expiresAt });
  const pageTokens = new PageTokens(SECRET);
  const config = { SESSION_PUBLIC_URL: `${OWN_ORIGIN}/` } as SessionServiceConfig;
  const service = new PageApiService(participants, billers, sessions, chargeSlabs, sealer, pageTokens, clock, config, pino({ level: 'silent' }));
  const cookie = pageTokens.issue({ sid: SESSION, pc: 'bank', exp: Math.floor(expiresAt.getTime() / 1000) });
  const call = (overrides: Partial<PageCall> = {}): PageCall => ({ sessionId: SESSION, origin: OWN_ORIGIN, hostOrigin: HOST_ORIGIN, cookies: { [pageCookieName(SESSION)]: cookie }, ...overrides });
  const bill = (overrides: Record<string, unknown> = {}) => ({ ...call(), billerCode: 'NTC', fields: { mobile: '9841000000', amount: '100' }, ...overrides });
  return { clock, participants, sessions, service, pageTokens, sealed, call, bill, expiresAt };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof PageApiError) return error.code;
    throw error;
  }
}

describe('PageApiService', () => {
  it('prepares the bill: npiObject sealed for the participant, session BILL_PREPARED, billers.bill.prepared.v1 in the outbox', async () => {
    const { service, sessions, sealed, bill, expiresAt } = await world();
    const answer = await service.prepareBill(bill());
    expect(answer).toEqual({ npiObject: 'sealed-for-bank', batchId: expect.stringMatching(/^BIL-[0-9A-F]{16}$/), instructionId: expect.stringMatching(/^RT-[0-9A-F]{16}$/), amount: '100.00' });
    expect(sealed).toHaveLength(1);
    expect(sealed[0].npiObject).toMatchObject({
      cipsBatchDetail: { batchId: answer.batchId, batchAmount: 100, batchChargeAmount: 5 },
      cipsTransactionDetail: { instructionId: answer.instructionId, amount: 100, chargeAmount: 5, refId: '9841000000', appId: 'NPI-NTC-APP-1', creditorAccount: '0100000000001' },
    });
    expect(await sessions.find(SESSION)).toMatchObject({ state: 'BILL_PREPARED', batchId: answer.batchId, instructionId: answer.instructionId, billerCode: 'NTC', amount: '100.00' });
    expect(sessions.events).toHaveLength(1);
    expect(sessions.events[0]).toMatchObject({ topic: 'billers.bill.prepared.v1', key: SESSION });
    expect(JSON.stringify(sessions.events[0])).toContain(expiresAt.toISOString());
  });

  it("answers the session's state and remaining life", async () => {
    const { service, call, clock } = await world();
    clock.advance(600_000);
    expect(await service.status(call())).toEqual({ state: 'ACTIVE', expiresInMs: 3_000_000 });
  });

  it('accepts a registered host origin as Origin, and a mobile session without a framing origin', async () => {
    const web = await world();
    expect(await codeOf(web.service.status(web.call({ origin: HOST_ORIGIN })))).toBe('ok');
    const mob = await world({ channel: 'mob' });
    expect(await codeOf(mob.service.prepareBill(mob.bill({ hostOrigin: undefined })))).toBe('ok');
  });

  it.each([
    ['a session_id that is not a string', { sessionId: 42 }],
    ['no cookie for the session', { cookies: {} }],
    ['a tampered cookie', { cookies: { [pageCookieName(SESSION)]: 'x.y.z' } }],
    ['a cookie made with another secret', { cookies: { [pageCookieName(SESSION)]: new PageTokens('o'.repeat(48)).issue({ sid: SESSION, pc: 'bank', exp: 4_000_000_000 }) } }],
  ])('refuses %s with ERR_PAGE_TOKEN_INVALID', async (_name, overrides) => {
    const { service, call, bill } = await world();
    expect(await codeOf(service.status(call(overrides as Partial<PageCall>)))).toBe('ERR_PAGE_TOKEN_INVALID');
    expect(await codeOf(service.prepareBill(bill(overrides)))).toBe('ERR_PAGE_TOKEN_INVALID');
  });

  it("refuses another session's cookie presented for this session_id", async () => {
    const { service, call, pageTokens } = await world();
    const other = 'bank_00000000-0000-4000-8000-000000000000';
    const cookie = pageTokens.issue({ sid: other, pc: 'bank', exp: 4_000_000_000 });
    expect(await codeOf(service.status(call({ cookies: { [pageCookieName(SESSION)]: cookie } })))).toBe('ERR_PAGE_TOKEN_INVALID');
  });

  it.each([
    ['an Origin neither the page nor registered', { origin: 'https://evil.example' }],
    ['no Origin', { origin: undefined }],
    ['an unregistered framing origin on a web session', { hostOrigin: 'https://evil.example' }],
    ['no framing origin on a web session', { hostOrigin: undefined }],
  ])('refuses %s with ERR_ORIGIN_NOT_ALLOWED', async (_name, overrides) => {
    const { service, call, sessions } = await world();
    expect(await codeOf(service.status(call(overrides)))).toBe('ERR_ORIGIN_NOT_ALLOWED');
    expect(sessions.events).toHaveLength(0);
  });

  it('refuses every call of a suspended participant with ERR_ORIGIN_NOT_ALLOWED', async () => {
    const { service, call, participants } = await world();
    await participants.upsert({ ...participant(), status: 'SUSPENDED' });
    expect(await codeOf(service.status(call()))).toBe('ERR_ORIGIN_NOT_ALLOWED');
  });

  it('refuses a session that does not exist or belongs to another participant with ERR_SESSION_NOT_FOUND', async () => {
    const { service, call, sessions } = await world();
    sessions.rows.get(SESSION)!.participantCode = 'otherbank';
    expect(await codeOf(service.status(call()))).toBe('ERR_SESSION_NOT_FOUND');
    sessions.rows.delete(SESSION);
    expect(await codeOf(service.status(call()))).toBe('ERR_SESSION_NOT_FOUND');
  });

  it('refuses an expired session with ERR_SESSION_EXPIRED and marks it EXPIRED', async () => {
    const { service, call, bill, sessions, clock } = await world();
    clock.advance(3_600_000);
    expect(await codeOf(service.status(call()))).toBe('ERR_SESSION_EXPIRED');
    // The page token still lives while the session row has already expired (e.g. shortened):
    const shortened = await world();
    shortened.sessions.rows.get(SESSION)!.expiresAt = shortened.clock.now();
    expect(await codeOf(shortened.service.prepareBill(shortened.bill()))).toBe('ERR_SESSION_EXPIRED');
    expect((await shortened.sessions.find(SESSION))?.state).toBe('EXPIRED');
    expect(shortened.sessions.events).toHaveLength(0);
    expect(await codeOf(service.prepareBill(bill()))).toBe('ERR_SESSION_EXPIRED');
    expect(sessions.events).toHaveLength(0);
  });

  it('refuses a new bill for a COMPLETED session with ERR_SESSION_NOT_ACTIVE but still reports its state', async () => {
    const { service, call, bill, sessions } = await world();
    sessions.rows.get(SESSION)!.state = 'COMPLETED';
    expect(await codeOf(service.prepareBill(bill()))).toBe('ERR_SESSION_NOT_ACTIVE');
    expect((await service.status(call())).state).toBe('COMPLETED');
  });

  it.each([
    ['not enabled for the participant', 'NEA'],
    ['disabled in the catalogue', 'OFF'],
    ['unknown', 'NOPE'],
    ['not a string', 7],
  ])('refuses a biller %s with ERR_BILLER_NOT_ALLOWED', async (_name, billerCode) => {
    const { service, bill, sessions } = await world();
    expect(await codeOf(service.prepareBill(bill({ billerCode })))).toBe('ERR_BILLER_NOT_ALLOWED');
    expect((await sessions.find(SESSION))?.state).toBe('ACTIVE');
  });

  it('refuses a form the biller does not accept with ERR_FORM_INVALID, naming every bad or unknown field', async () => {
    const { service, bill, sessions } = await world();
    const refused = await service.prepareBill(bill({ fields: { mobile: '12', amount: '100', extra: 'x' } })).catch((error: PageApiError) => error);
    expect(refused).toBeInstanceOf(PageApiError);
    expect(refused).toMatchObject({ code: 'ERR_FORM_INVALID' });
    expect([...(refused as PageApiError).fields].sort()).toEqual(['extra', 'mobile']);
    expect(sessions.events).toHaveLength(0);
  });

  it('refuses with ERR_PARTICIPANT_KEY_MISSING when the participant has no encryption key', async () => {
    const withoutEnc = participant();
    withoutEnc.keys = withoutEnc.keys.filter((key) => key.use !== 'ENC');
    const { service, bill, sealed } = await world({ participant: withoutEnc });
    expect(await codeOf(service.prepareBill(bill()))).toBe('ERR_PARTICIPANT_KEY_MISSING');
    expect(sealed).toHaveLength(0);
  });
});
