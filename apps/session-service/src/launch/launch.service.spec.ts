import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import pino from 'pino';
import { KeySet, seal } from '@npi/jose-envelope';
import type { JwsAlgorithm } from '@npi/jose-envelope';
import { ManualClock } from '@npi/service-runtime';
import { billersHostParticipant } from '@npi/testing';
import type { BillerRecord, ParticipantRecord } from '@npi/session/data-access';
import type { BillersKeys } from '../billers-keys';
import type { SessionServiceConfig } from '../config';
import { JoseLaunchTokenOpener } from '../envelope/envelope';
import { BillersError } from '../errors';
import { PageTokens } from '../page/page-token';
import { InMemoryBillerRepository, InMemoryBillersSessionRepository, InMemoryHostParticipantRepository } from '../testing/in-memory.repositories';
import { MAX_TOKEN_LENGTH } from './launch-params';
import { LaunchService } from './launch.service';

/**
 * LaunchService's rules (README "Launch: checks, in this order") with in-memory repositories, the
 * real jose opener (in-process crypto) and a ManualClock: no PostgreSQL, Kafka or HTTP.
 */
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const billersEncryption = rsa();
const billersSigning = rsa();
const hostSigning = rsa();
const hostEncryption = rsa();
const otherKey = rsa();
const BILLERS_ENC_KID = 'billers-enc-1';
const keys: BillersKeys = {
  signing: { key: billersSigning.privateKey, kid: 'billers-sig-1' },
  decryption: new KeySet([{ kid: BILLERS_ENC_KID, key: billersEncryption.privateKey, use: 'enc' }]),
};
const LIFETIME_SECONDS = 3600;
const config = { SESSION_LIFETIME_SECONDS: LIFETIME_SECONDS } as SessionServiceConfig;
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

const participant = (): ParticipantRecord => billersHostParticipant({ signingPublicKeyPem: pem(hostSigning.publicKey), encryptionPublicKeyPem: pem(hostEncryption.publicKey) });
const biller = (code: string, group: string): BillerRecord => ({
  code,
  name: code,
  nameNe: code,
  group,
  icon: '*',
  form: [{ fieldName: 'amount', label: 'Amount', labelNe: 'रकम', mapField: 'amount', pattern: '^[0-9]+$', required: true, kind: 'amount' }],
  creditor: { creditorAgent: '1', creditorBranch: '1', creditorAccount: '1', creditorName: code, appId: 'APP', categoryPurpose: 'ECPG' },
  enabled: true,
});

/** One launch: the query, the registry, the token's claims and how it is sealed, an existing session. */
interface Scenario {
  query: Record<string, string>;
  participant?: ParticipantRecord;
  billers: BillerRecord[];
  claims: Record<string, unknown>;
  /** undefined: seal `claims`; null: leave the parameter out; a string: send it as is. */
  token?: string | null;
  signer: { signingKey: KeyObject; kid: string; alg: JwsAlgorithm };
  recipient: { recipientKey: KeyObject; kid: string };
  existing?: 'live' | 'expired';
}

function validScenario(): Scenario {
  const sessionId = `bank_${randomUUID()}`;
  return {
    query: { landing_page: 'biller-all', participant_code: 'bank', channel: 'web', session_id: sessionId },
    participant: participant(),
    billers: [biller('NTC', 'Telecom'), biller('NEA', 'Electricity'), biller('WLINK', 'Internet')],
    claims: { participant_code: 'bank', session_id: sessionId, channel: 'web' },
    signer: { signingKey: hostSigning.privateKey, kid: 'bank-sig', alg: 'PS256' },
    recipient: { recipientKey: billersEncryption.publicKey, kid: BILLERS_ENC_KID },
  };
}

async function world(scenario: Scenario, clock: ManualClock) {
  const participants = new InMemoryHostParticipantRepository();
  const billers = new InMemoryBillerRepository();
  const sessions = new InMemoryBillersSessionRepository();
  if (scenario.participant) await participants.upsert(scenario.participant);
  for (const entry of scenario.billers) await billers.upsert(entry);
  const pageTokens = new PageTokens('c'.repeat(48));
  const service = new LaunchService(participants, billers, sessions, new JoseLaunchTokenOpener(keys, MAX_TOKEN_LENGTH), pageTokens, clock, config, pino({ level: 'silent' }));
  if (scenario.existing) {
    const now = clock.now().getTime();
    const expiresAt = new Date(scenario.existing === 'live' ? now + 60_000 : now - 1);
    await sessions.createIfAbsent({ sessionId: scenario.query.session_id, participantCode: 'bank', channel: 'web', createdAt: new Date(now - 120_000), expiresAt });
  }
  return { service, sessions, pageTokens };
}

async function queryOf(scenario: Scenario, clock: ManualClock): Promise<Record<string, string>> {
  const query = { ...scenario.query };
  if (scenario.token === undefined) query.token = await seal(scenario.claims, scenario.signer, scenario.recipient, { now: () => clock.now().getTime() });
  else if (scenario.token !== null) query.token = scenario.token;
  return query;
}

async function refusalOf(scenario: Scenario): Promise<string> {
  const clock = new ManualClock();
  const { service } = await world(scenario, clock);
  try {
    await service.launch(await queryOf(scenario, clock));
    return 'created';
  } catch (error) {
    if (error instanceof BillersError) return error.code;
    throw error;
  }
}

interface Refusal {
  name: string;
  code: string;
  /** What the case changes; two cases that change the same thing are not combined. */
  touches: string[];
  apply(scenario: Scenario): void;
}

const otherSession = `bank_${randomUUID()}`;
/** Every refusal of README "Launch: checks, in this order", in that order. */
const REFUSALS: Refusal[] = [
  { name: 'token missing', code: '700', touches: ['q.token'], apply: (s) => void (s.token = null) },
  { name: 'channel missing', code: '701', touches: ['q.channel'], apply: (s) => void delete s.query.channel },
  { name: 'session_id missing', code: '705', touches: ['q.session_id'], apply: (s) => void delete s.query.session_id },
  { name: 'participant_code missing', code: '706', touches: ['q.participant_code'], apply: (s) => void delete s.query.participant_code },
  { name: 'landing_page missing', code: '707', touches: ['q.landing_page'], apply: (s) => void delete s.query.landing_page },
  { name: 'channel not web|mob', code: '801', touches: ['q.channel'], apply: (s) => void (s.query.channel = 'sms') },
  { name: 'os missing with channel=mob', code: '704', touches: ['q.channel', 'q.os'], apply: (s) => void (s.query.channel = 'mob') },
  { name: 'os not android|ios', code: '804', touches: ['q.os'], apply: (s) => void (s.query.os = 'windows') },
  { name: 'lang not en|ne', code: '802', touches: ['q.lang'], apply: (s) => void (s.query.lang = 'fr') },
  { name: 'display_mode not light|dark', code: '803', touches: ['q.display_mode'], apply: (s) => void (s.query.display_mode = 'blue') },
  { name: 'participant_code malformed', code: '806', touches: ['q.participant_code'], apply: (s) => void (s.query.participant_code = 'bank!') },
  { name: 'session_id not <participant_code>_<uuid>', code: '805', touches: ['q.session_id'], apply: (s) => void (s.query.session_id = `other_${randomUUID()}`) },
  { name: 'landing_page unknown', code: '807', touches: ['q.landing_page'], apply: (s) => void (s.query.landing_page = 'home') },
  { name: 'biller_group missing', code: '708', touches: ['q.landing_page', 'q.biller_group'], apply: (s) => void (s.query.landing_page = 'biller_group') },
  { name: 'biller_code missing', code: '709', touches: ['q.landing_page', 'q.biller_code'], apply: (s) => void (s.query.landing_page = 'biller_form') },
  { name: 'biller_group malformed', code: '808', touches: ['q.landing_page', 'q.biller_group'], apply: (s) => void Object.assign(s.query, { landing_page: 'biller_group', biller_group: '<script>' }) },
  { name: 'biller_code malformed', code: '809', touches: ['q.landing_page', 'q.biller_code'], apply: (s) => void Object.assign(s.query, { landing_page: 'biller_form', biller_code: '../x' }) },
  { name: 'token longer than 8 KiB', code: '800', touches: ['q.token'], apply: (s) => void (s.token = 'a'.repeat(MAX_TOKEN_LENGTH + 1)) },
  { name: 'participant unknown', code: '806', touches: ['participant'], apply: (s) => void (s.participant = undefined) },
  { name: 'participant suspended', code: '806', touches: ['participant.status'], apply: (s) => void (s.participant!.status = 'SUSPENDED') },
  { name: 'channel not registered for the participant', code: '801', touches: ['participant.channels'], apply: (s) => void (s.participant!.channels = ['mob']) },
  { name: 'no enabled biller in the group', code: '808', touches: ['q.landing_page', 'q.biller_group'], apply: (s) => void Object.assign(s.query, { landing_page: 'biller_group', biller_group: 'Water' }) },
  { name: 'biller unknown', code: '809', touches: ['q.landing_page', 'q.biller_code'], apply: (s) => void Object.assign(s.query, { landing_page: 'biller_form', biller_code: 'NOPE' }) },
  {
    name: 'biller disabled',
    code: '809',
    touches: ['q.landing_page', 'q.biller_code', 'billers'],
    apply: (s) => {
      Object.assign(s.query, { landing_page: 'biller_form', biller_code: 'NTC' });
      s.billers.find((b) => b.code === 'NTC')!.enabled = false;
    },
  },
  {
    name: 'biller not enabled for the participant',
    code: '809',
    touches: ['q.landing_page', 'q.biller_code', 'participant.enabledBillers'],
    apply: (s) => void Object.assign(s.query, { landing_page: 'biller_form', biller_code: 'WLINK' }),
  },
  { name: 'token not a compact JWE', code: '800', touches: ['q.token'], apply: (s) => void (s.token = 'not.a.token') },
  { name: 'token for an unknown Billers kid', code: '800', touches: ['token.recipient'], apply: (s) => void (s.recipient.kid = 'billers-enc-unknown') },
  { name: 'token encrypted for another key', code: '800', touches: ['token.recipient'], apply: (s) => void (s.recipient.recipientKey = otherKey.publicKey) },
  { name: 'token signed with an unknown participant kid', code: '800', touches: ['token.signer'], apply: (s) => void (s.signer.kid = 'bank-sig-unknown') },
  { name: 'forged signature (another key, registered kid)', code: '800', touches: ['token.signer'], apply: (s) => void (s.signer.signingKey = otherKey.privateKey) },
  { name: 'alg not on the participant allowlist', code: '800', touches: ['token.signer'], apply: (s) => void (s.signer.alg = 'RS256') },
  { name: 'channel claim missing', code: '800', touches: ['claims.channel'], apply: (s) => void delete s.claims.channel },
  { name: 'token expired (exp)', code: '800', touches: ['claims.exp'], apply: (s) => void (s.claims.exp = Math.floor(new ManualClock().now().getTime() / 1000) - 600) },
  { name: 'participant_code differs from the token', code: '900', touches: ['claims.participant_code'], apply: (s) => void (s.claims.participant_code = 'otherbank') },
  { name: 'session_id differs from the token', code: '901', touches: ['claims.session_id'], apply: (s) => void (s.claims.session_id = otherSession) },
  { name: 'channel differs from the token', code: '902', touches: ['claims.channel'], apply: (s) => void (s.claims.channel = 'mob') },
  { name: 'session_id used before, session live', code: '601', touches: ['existing'], apply: (s) => void (s.existing = 'live') },
  { name: 'session_id used before, session expired', code: '600', touches: ['existing'], apply: (s) => void (s.existing = 'expired') },
];

const overlaps = (a: Refusal, b: Refusal) => a.touches.some((x) => b.touches.some((y) => x === y || x.startsWith(`${y}.`) || y.startsWith(`${x}.`)));

describe('LaunchService', () => {
  it('creates the session on the first valid load and answers the billers to show with a page token for it', async () => {
    const clock = new ManualClock();
    const scenario = validScenario();
    const { service, sessions, pageTokens } = await world(scenario, clock);
    const result = await service.launch(await queryOf(scenario, clock));
    const sessionId = scenario.query.session_id;
    expect(result.billers.map((b) => b.code).sort()).toEqual(['NEA', 'NTC']); // WLINK is not enabled for the participant
    expect(result.expiresAt).toEqual(new Date(clock.now().getTime() + LIFETIME_SECONDS * 1000));
    expect(await sessions.find(sessionId)).toMatchObject({ sessionId, participantCode: 'bank', channel: 'web', state: 'ACTIVE', createdAt: clock.now(), expiresAt: result.expiresAt });
    expect(pageTokens.verify(result.pageToken, clock.now())).toEqual({ sid: sessionId, pc: 'bank', exp: Math.floor(result.expiresAt.getTime() / 1000) });
  });

  it('shows one group or one biller when the landing page asks for it', async () => {
    const clock = new ManualClock();
    const group = validScenario();
    Object.assign(group.query, { landing_page: 'biller_group', biller_group: 'electricity' });
    expect((await (await world(group, clock)).service.launch(await queryOf(group, clock))).billers.map((b) => b.code)).toEqual(['NEA']);
    const form = validScenario();
    Object.assign(form.query, { landing_page: 'biller_form', biller_code: 'NTC' });
    expect((await (await world(form, clock)).service.launch(await queryOf(form, clock))).billers.map((b) => b.code)).toEqual(['NTC']);
  });

  it('refuses a replayed launch token: 601 while its session lives, 600 once it expired (and marks it EXPIRED)', async () => {
    const clock = new ManualClock();
    const scenario = validScenario();
    const { service, sessions } = await world(scenario, clock);
    const query = await queryOf(scenario, clock);
    await service.launch(query);
    await expect(service.launch(query)).rejects.toMatchObject({ code: '601' });
    expect((await sessions.find(scenario.query.session_id))?.state).toBe('ACTIVE');
    clock.advance(LIFETIME_SECONDS * 1000);
    await expect(service.launch(query)).rejects.toMatchObject({ code: '600' });
    expect((await sessions.find(scenario.query.session_id))?.state).toBe('EXPIRED');
  });

  it('refuses an expired launch token with 800 and creates no session', async () => {
    const clock = new ManualClock();
    const scenario = validScenario();
    scenario.claims.exp = Math.floor(clock.now().getTime() / 1000) + 30;
    const { service, sessions } = await world(scenario, clock);
    const query = await queryOf(scenario, clock);
    clock.advance(30_000 + 10 * 60_000); // beyond the opener's allowed clock skew
    await expect(service.launch(query)).rejects.toMatchObject({ code: '800' });
    expect(sessions.rows.size).toBe(0);
  });

  it.each(REFUSALS.map((refusal) => [refusal.name, refusal] as const))('refuses: %s', async (_name, refusal) => {
    const scenario = validScenario();
    refusal.apply(scenario);
    expect(await refusalOf(scenario)).toBe(refusal.code);
  });

  it('applies the checks in the documented order: each refusal wins over every later one', async () => {
    const mismatches: string[] = [];
    for (const [index, first] of REFUSALS.entries()) {
      for (const later of REFUSALS.slice(index + 1)) {
        if (overlaps(first, later)) continue;
        const scenario = validScenario();
        later.apply(scenario);
        first.apply(scenario);
        const code = await refusalOf(scenario);
        if (code !== first.code) mismatches.push(`${first.name} + ${later.name}: ${code}, expected ${first.code}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 60_000);

  it('creates no session for a refused launch', async () => {
    const clock = new ManualClock();
    const scenario = validScenario();
    scenario.claims.channel = 'mob';
    const { service, sessions } = await world(scenario, clock);
    await expect(service.launch(await queryOf(scenario, clock))).rejects.toMatchObject({ code: '902' });
    expect(sessions.rows.size).toBe(0);
  });

  it("lets a refused query's error page reach the host only when the query names an active participant", async () => {
    const clock = new ManualClock();
    const scenario = validScenario();
    Object.assign(scenario.query, { lang: 'fr', display_error: 'host_app' });
    const { service } = await world(scenario, clock);
    const refused = await service.launch(await queryOf(scenario, clock)).catch((error: BillersError) => error);
    expect(refused).toMatchObject({ code: '802', context: { hostOrigins: ['https://bank.example'], displayError: 'host_app', sessionId: scenario.query.session_id } });
    const unknown = await service.launch({ ...(await queryOf(scenario, clock)), participant_code: 'stranger' }).catch((error: BillersError) => error);
    expect(unknown).toMatchObject({ code: '802', context: {} });
    expect((unknown as BillersError).context.hostOrigins).toBeUndefined();
  });
});
