/**
 * NPI Billers v2 launch (`GET /billers`) through HTTP against the real PostgreSQL: every NCHL error
 * code, the atomic single-use session, expiry with an injected clock, the page's calls and the
 * registry admin API. The host app's side is built with `jose` and the participant's own keys.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ManualClock } from '@npi/service-runtime';
import type { RunningService } from '@npi/service-runtime';
import {
  billersKeys,
  hostApp,
  launchPath,
  launchQuery,
  launchToken,
  newSessionId,
  openNpiObject,
  registerHostApp,
  rsaPair,
  startSessionService,
} from '../support/billers-harness';
import type { BillersKeysForTest, HostApp } from '../support/billers-harness';

const ORIGIN = 'https://bank.example.com';

describe('NPI Billers launch and page (session-service)', () => {
  const clock = new ManualClock(new Date('2026-11-25T06:00:00Z'));
  let keys: BillersKeysForTest;
  let service: RunningService;
  let host: HostApp;
  let billerCodes: string[];

  beforeAll(async () => {
    keys = billersKeys();
    service = await startSessionService(keys, { clock });
    host = hostApp([ORIGIN]);
    billerCodes = await registerHostApp(service, keys, host);
  }, 60_000);
  afterAll(async () => service?.stop(), 30_000);

  const json = (path: string) => request(service.url).get(path).set('accept', 'application/json');
  async function expectCode(query: Record<string, string>, code: string, status: number) {
    const response = await json(launchPath(query));
    expect(response.body.error?.code).toBe(code);
    expect(response.status).toBe(status);
    expect(response.body.correlationId).toBeTruthy();
    return response;
  }

  describe('a valid first load', () => {
    it('creates the session and serves the page framed only by the registered origin', async () => {
      const query = await launchQuery(host, keys, { lang: 'ne', display_mode: 'dark' });
      const response = await request(service.url).get(launchPath(query)).expect(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      const csp = response.headers['content-security-policy'];
      expect(csp).toContain(`frame-ancestors ${ORIGIN}`);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(response.headers['x-frame-options']).toBeUndefined();
      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/^npib_[0-9a-f]{16}=[A-Za-z0-9_.-]+; Path=\/billers\/api; Max-Age=3600; HttpOnly; SameSite=Lax$/);
      expect(cookie).not.toContain(query.session_id);
      expect(response.text).toContain('<html lang="ne" data-theme="dark">');
      expect(response.text).toContain(billerCodes[0]);
      expect(response.text).not.toContain('<script>');
    });

    it('shows one group or one biller form when asked', async () => {
      const group = await request(service.url).get(launchPath(await launchQuery(host, keys, { landing_page: 'biller_group', biller_group: 'Internet' }))).expect(200);
      expect(group.text).toContain(billerCodes[1]);
      expect(group.text).not.toContain(billerCodes[0]);
      const form = await request(service.url).get(launchPath(await launchQuery(host, keys, { landing_page: 'biller_form', biller_code: billerCodes[0] }))).expect(200);
      expect(form.text).toContain(billerCodes[0]);
      expect(form.text).not.toContain(billerCodes[1]);
    });

    it('serves the page script and stylesheet as separate same-origin files', async () => {
      const script = await request(service.url).get('/billers/assets/page.js').expect(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
      expect(script.text).toContain('submit_form_payload');
      expect(script.text).not.toMatch(/postMessage\([^)]*'\*'/);
      await request(service.url).get('/billers/assets/page.css').expect(200);
      await request(service.url).get('/billers/assets/other.js').expect(404);
    });
  });

  describe('NCHL error codes', () => {
    it.each([
      ['700', 'token'],
      ['701', 'channel'],
      ['705', 'session_id'],
      ['706', 'participant_code'],
      ['707', 'landing_page'],
    ])('%s when %s is missing', async (code, parameter) => {
      await expectCode(await launchQuery(host, keys, { [parameter]: undefined }), code, 400);
    });

    it('704 when channel=mob comes without os', async () => {
      await expectCode(await launchQuery(host, keys, { channel: 'mob' }), '704', 400);
    });

    it('708 when landing_page=biller_group comes without biller_group', async () => {
      await expectCode(await launchQuery(host, keys, { landing_page: 'biller_group' }), '708', 400);
    });

    it('709 when landing_page=biller_form comes without biller_code', async () => {
      await expectCode(await launchQuery(host, keys, { landing_page: 'biller_form' }), '709', 400);
    });

    it.each([
      ['801', { channel: 'tv' }],
      ['802', { lang: 'fr' }],
      ['803', { display_mode: 'blue' }],
      ['804', { channel: 'mob', os: 'windows' }],
      ['807', { landing_page: 'home' }],
      ['808', { landing_page: 'biller_group', biller_group: 'Insurance' }],
      ['809', { landing_page: 'biller_form', biller_code: 'NO-SUCH-BILLER' }],
    ])('%s for %j', async (code, overrides) => {
      await expectCode(await launchQuery(host, keys, overrides as Record<string, string>), code, 400);
    });

    it('801 for a parameter given twice (never "first one wins")', async () => {
      const query = await launchQuery(host, keys);
      const response = await json(`${launchPath(query)}&channel=mob`);
      expect(response.body.error.code).toBe('801');
    });

    it.each([
      ['another participant prefix', (_h: HostApp) => `other_${randomUUID()}`],
      ['no uuid', (h: HostApp) => `${h.code}_12345`],
      ['no separator', (h: HostApp) => `${h.code}${randomUUID()}`],
    ])('805 for a session_id with %s', async (_name, make) => {
      const sessionId = make(host);
      await expectCode(await launchQuery(host, keys, { session_id: sessionId }, { participant_code: host.code, session_id: sessionId, channel: 'web' }), '805', 400);
    });

    it('806 for an unknown participant and a malformed participant_code', async () => {
      const stranger = hostApp([ORIGIN]);
      await expectCode(await launchQuery(stranger, keys), '806', 400);
      await expectCode({ ...(await launchQuery(host, keys)), participant_code: 'bad code!' }, '806', 400);
    });

    it('806 for a suspended participant', async () => {
      const suspended = hostApp([ORIGIN]);
      await registerHostApp(service, keys, suspended, { status: 'SUSPENDED' });
      await expectCode(await launchQuery(suspended, keys), '806', 400);
    });

    it('801 for a channel the participant is not registered for', async () => {
      const webOnly = hostApp([ORIGIN]);
      await registerHostApp(service, keys, webOnly, { channels: ['web'] });
      await expectCode(await launchQuery(webOnly, keys, { channel: 'mob', os: 'android' }), '801', 400);
    });

    describe('800 token validation failed', () => {
      const claimsFor = (sessionId: string) => ({ participant_code: host.code, session_id: sessionId, channel: 'web' });
      async function withToken(token: string) {
        const query = await launchQuery(host, keys);
        return expectCode({ ...query, token }, '800', 401);
      }
      async function withTokenFor(build: (sessionId: string) => Promise<string>) {
        const sessionId = newSessionId(host);
        const query = await launchQuery(host, keys, { session_id: sessionId });
        return expectCode({ ...query, token: await build(sessionId) }, '800', 401);
      }

      it('for a malformed token', async () => {
        await withToken('not-a-jwe');
        await withToken('a.b.c.d.e');
      });

      it('for an oversized token, before any parsing; a URL over the HTTP header limit is a 431, never a 500', async () => {
        await withToken('x'.repeat(9_000));
        const query = await launchQuery(host, keys);
        await json(launchPath({ ...query, token: 'x'.repeat(20_000) })).expect(431);
      });

      it('for a token encrypted for another key (wrong recipient)', async () => {
        const stranger = rsaPair();
        await withTokenFor((sid) => launchToken(claimsFor(sid), host, keys, { recipientKey: stranger.publicKey }));
      });

      it('for a token naming an unknown Billers key id', async () => {
        await withTokenFor((sid) => launchToken(claimsFor(sid), host, keys, { recipientKid: 'no-such-kid' }));
      });

      it('for a forged token (signed by a key that is not the participant\'s)', async () => {
        const forger = rsaPair();
        await withTokenFor((sid) => launchToken(claimsFor(sid), host, keys, { signingKey: forger.privateKey }));
      });

      it('for an algorithm not on the participant\'s allowlist (RS256)', async () => {
        await withTokenFor((sid) => launchToken(claimsFor(sid), host, keys, { alg: 'RS256' }));
      });

      it('for an expired token', async () => {
        const past = Math.floor(clock.now().getTime() / 1000) - 600;
        await withTokenFor((sid) => launchToken({ ...claimsFor(sid), iat: past - 60, exp: past }, host, keys));
      });

      it('for a token without the required claims', async () => {
        await withTokenFor(() => launchToken({ participant_code: host.code }, host, keys));
      });
    });

    it.each([
      ['900', { participant_code: 'someoneelse' }],
      ['901', { session_id: 'SAME' }],
      ['902', { channel: 'mob' }],
    ])('%s when the token payload differs from the query (%j)', async (code, change) => {
      const sessionId = newSessionId(host);
      const claims = { participant_code: host.code, session_id: sessionId, channel: 'web', ...change };
      if (claims.session_id === 'SAME') claims.session_id = newSessionId(host);
      await expectCode(await launchQuery(host, keys, { session_id: sessionId }, claims), code, 400);
    });

    it('601 for a second load of one session_id, with the same or a fresh token', async () => {
      const query = await launchQuery(host, keys);
      await request(service.url).get(launchPath(query)).expect(200);
      await expectCode(query, '601', 409);
      await expectCode(await launchQuery(host, keys, { session_id: query.session_id }), '601', 409);
    });

    it('600 for a load of a session that has expired (injected clock)', async () => {
      const query = await launchQuery(host, keys);
      await request(service.url).get(launchPath(query)).expect(200);
      clock.advance(3600 * 1000 + 1);
      try {
        await expectCode(query, '600', 410);
      } finally {
        clock.advance(-(3600 * 1000 + 1));
      }
    });

    it('answers browsers with an HTML page showing the code, framed only by the registered origin', async () => {
      const response = await request(service.url).get(launchPath(await launchQuery(host, keys, { lang: 'xx', display_error: 'host_app' }))).set('accept', 'text/html').expect(400);
      expect(response.text).toContain('data-error-code="802"');
      expect(response.headers['content-security-policy']).toContain(`frame-ancestors ${ORIGIN}`);
      expect(response.text).toContain('"displayError":"host_app"');
      const unknown = await request(service.url).get(launchPath(await launchQuery(hostApp([ORIGIN]), keys))).set('accept', 'text/html').expect(400);
      expect(unknown.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(unknown.text).not.toMatch(/at .*\.ts/);
    });
  });

  describe('single-use sessions', () => {
    it('creates one session for ten simultaneous loads of one session_id', async () => {
      const query = await launchQuery(host, keys);
      const responses = await Promise.all(Array.from({ length: 10 }, () => json(launchPath(query))));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(9);
      for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('601');
    });
  });

  describe('page calls', () => {
    async function openSession(overrides: Record<string, string> = {}) {
      const query = await launchQuery(host, keys, overrides);
      const response = await request(service.url).get(launchPath(query)).expect(200);
      const cookie = String(response.headers['set-cookie']).split(';')[0];
      return { sessionId: query.session_id, cookie };
    }
    const prepare = (cookie: string, body: object, headers: Record<string, string> = {}) =>
      request(service.url)
        .post('/billers/api/npi-object')
        .set({ cookie, origin: service.url, 'x-billers-host-origin': ORIGIN, ...headers })
        .send(body);
    const fields = { mobile: '9841000000', amount: '100.5' };

    it('returns the npiObject signed by NPI Billers and encrypted for the participant', async () => {
      const { sessionId, cookie } = await openSession();
      const response = await prepare(cookie, { session_id: sessionId, biller_code: billerCodes[0], fields }).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const { payload, jweHeader, jwsHeader } = await openNpiObject(response.body.npiObject, host, keys);
      expect(jweHeader).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: host.encryptionKid });
      expect(jwsHeader).toMatchObject({ alg: 'PS256', kid: keys.signingKid });
      const npi = payload as Record<string, Record<string, unknown>> & { fieldLabelMapping: unknown[] };
      expect(npi.cipsBatchDetail).toMatchObject({ batchId: response.body.batchId, batchAmount: 100.5, batchCount: 1, batchCrncy: 'NPR', debtorAgent: '', debtorBranch: '', debtorName: '', debtorAccount: '' });
      expect(npi.cipsTransactionDetail).toMatchObject({ instructionId: response.body.instructionId, amount: 100.5, refId: '9841000000', endToEndId: '9841000000', appId: 'NPI-NTC-APP-1', creditorAgent: '2501' });
      expect(npi.fieldLabelMapping).toEqual([
        { fieldName: 'mobile', fieldLabel: 'Mobile Number', mapField: 'refId' },
        { fieldName: 'amount', fieldLabel: 'Amount (NPR)', mapField: 'amount' },
      ]);
      expect(response.body.amount).toBe('100.50');
      const state = await request(service.url).post('/billers/api/session').set({ cookie, origin: service.url, 'x-billers-host-origin': ORIGIN }).send({ session_id: sessionId }).expect(200);
      expect(state.body.state).toBe('BILL_PREPARED');
    });

    it('refuses an Origin that is neither the page nor a registered host origin', async () => {
      const { sessionId, cookie } = await openSession();
      const response = await prepare(cookie, { session_id: sessionId, biller_code: billerCodes[0], fields }, { origin: 'https://evil.example' }).expect(403);
      expect(response.body.error.code).toBe('ERR_ORIGIN_NOT_ALLOWED');
      expect(response.body.correlationId).toBeTruthy();
      const none = await request(service.url).post('/billers/api/npi-object').set({ cookie, 'x-billers-host-origin': ORIGIN }).send({ session_id: sessionId, biller_code: billerCodes[0], fields }).expect(403);
      expect(none.body.error.code).toBe('ERR_ORIGIN_NOT_ALLOWED');
    });

    it('refuses a page framed by an unregistered host origin', async () => {
      const { sessionId, cookie } = await openSession();
      const response = await prepare(cookie, { session_id: sessionId, biller_code: billerCodes[0], fields }, { 'x-billers-host-origin': 'https://bank.example.com.evil.example' }).expect(403);
      expect(response.body.error.code).toBe('ERR_ORIGIN_NOT_ALLOWED');
    });

    it('refuses calls without the page token, or with another session\'s', async () => {
      const first = await openSession();
      const second = await openSession();
      const missing = await prepare('', { session_id: first.sessionId, biller_code: billerCodes[0], fields }).expect(401);
      expect(missing.body.error.code).toBe('ERR_PAGE_TOKEN_INVALID');
      const swapped = await prepare(second.cookie.replace(/^npib_[0-9a-f]+/, first.cookie.split('=')[0]), { session_id: first.sessionId, biller_code: billerCodes[0], fields }).expect(401);
      expect(swapped.body.error.code).toBe('ERR_PAGE_TOKEN_INVALID');
      const tampered = await prepare(`${first.cookie.slice(0, -4)}AAAA`, { session_id: first.sessionId, biller_code: billerCodes[0], fields }).expect(401);
      expect(tampered.body.error.code).toBe('ERR_PAGE_TOKEN_INVALID');
    });

    it('validates the form on the server and names the bad fields', async () => {
      const { sessionId, cookie } = await openSession();
      const response = await prepare(cookie, { session_id: sessionId, biller_code: billerCodes[0], fields: { mobile: '12', amount: '0', extra: 'x' } }).expect(422);
      expect(response.body.error.code).toBe('ERR_FORM_INVALID');
      expect(response.body.error.fields.sort()).toEqual(['amount', 'extra', 'mobile']);
      const notEnabled = await prepare(cookie, { session_id: sessionId, biller_code: 'NO-SUCH', fields }).expect(403);
      expect(notEnabled.body.error.code).toBe('ERR_BILLER_NOT_ALLOWED');
    });

    it('answers a body that breaks its shape with the page API codes (schema checked before the service runs)', async () => {
      const { sessionId, cookie } = await openSession();
      const noSession = await prepare(cookie, { session_id: 42, biller_code: billerCodes[0], fields }).expect(401);
      expect(noSession.body.error.code).toBe('ERR_PAGE_TOKEN_INVALID');
      const badBiller = await prepare(cookie, { session_id: sessionId, biller_code: ['x'], fields }).expect(403);
      expect(badBiller.body.error.code).toBe('ERR_BILLER_NOT_ALLOWED');
      const notAnObject = await prepare(cookie, { session_id: sessionId, biller_code: billerCodes[0], fields: 'mobile=9841000000' }).expect(422);
      expect(notAnObject.body.error).toMatchObject({ code: 'ERR_FORM_INVALID', fields: ['fields'] });
    });

    it('answers malformed JSON with a 4xx and a correlation id, never a 500', async () => {
      const response = await request(service.url).post('/billers/api/npi-object').set({ 'content-type': 'application/json', origin: service.url }).send('{"a":').expect(400);
      expect(response.body.correlationId).toBeTruthy();
    });

    it('expires the session after its lifetime (injected clock): calls get ERR_SESSION_EXPIRED and a reload 600', async () => {
      const query = await launchQuery(host, keys);
      const page = await request(service.url).get(launchPath(query)).expect(200);
      const cookie = String(page.headers['set-cookie']).split(';')[0];
      clock.advance(3599 * 1000);
      await prepare(cookie, { session_id: query.session_id, biller_code: billerCodes[0], fields }).expect(200);
      clock.advance(2 * 1000);
      try {
        const expired = await prepare(cookie, { session_id: query.session_id, biller_code: billerCodes[0], fields }).expect(410);
        expect(expired.body.error.code).toBe('ERR_SESSION_EXPIRED');
        await expectCode(query, '600', 410);
      } finally {
        clock.advance(-3601 * 1000);
      }
    });
  });

  describe('registry admin API', () => {
    const admin = () => ({ authorization: `Bearer ${keys.adminToken}` });
    const body = (overrides: Record<string, unknown> = {}) => ({
      name: 'Test bank',
      hostOrigins: [ORIGIN],
      channels: ['web'],
      enabledBillers: [],
      keys: [
        { kid: 's1', use: 'sig', publicKey: host.signing.publicPem },
        { kid: 'e1', use: 'enc', publicKey: host.encryption.publicPem },
      ],
      ...overrides,
    });

    it('refuses calls without the admin token', async () => {
      const response = await request(service.url).get('/admin/participants').expect(401);
      expect(response.body.error.code).toBe('ERR_UNAUTHORIZED');
      await request(service.url).get('/admin/participants').set({ authorization: 'Bearer wrong' }).expect(401);
    });

    it('refuses keys under 2048 bits and things that are not keys', async () => {
      const small = rsaPair(1024);
      const tooSmall = await request(service.url).put(`/admin/participants/p${randomUUID().slice(0, 8)}`).set(admin()).send(body({ keys: [{ kid: 's', use: 'sig', publicKey: small.publicPem }, { kid: 'e', use: 'enc', publicKey: host.encryption.publicPem }] })).expect(400);
      expect(tooSmall.body.error.code).toBe('ERR_KEY_TOO_SMALL');
      const junk = await request(service.url).put(`/admin/participants/p${randomUUID().slice(0, 8)}`).set(admin()).send(body({ keys: [{ kid: 's', use: 'sig', publicKey: 'hello' }, { kid: 'e', use: 'enc', publicKey: host.encryption.publicPem }] })).expect(400);
      expect(junk.body.error.code).toBe('ERR_KEY_INVALID');
      const privateKey = await request(service.url).put(`/admin/participants/p${randomUUID().slice(0, 8)}`).set(admin()).send(body({ keys: [{ kid: 's', use: 'sig', publicKey: host.signing.privatePem }, { kid: 'e', use: 'enc', publicKey: host.encryption.publicPem }] })).expect(400);
      expect(privateKey.body.error.code).toBe('ERR_KEY_INVALID');
    });

    it.each([['https://*.bank.example'], ['https://bank.example/path'], ['ftp://bank.example'], ['*']])('refuses the host origin %s (exact origins only)', async (origin) => {
      const response = await request(service.url).put(`/admin/participants/p${randomUUID().slice(0, 8)}`).set(admin()).send(body({ hostOrigins: [origin] })).expect(400);
      expect(response.body.error.code).toBe('ERR_VALIDATION');
    });

    it('names each field that breaks the participant shape (ERR_VALIDATION)', async () => {
      const response = await request(service.url).put(`/admin/participants/p${randomUUID().slice(0, 8)}`).set(admin()).send(body({ channels: ['fax'], surprise: true })).expect(400);
      expect(response.body.error.code).toBe('ERR_VALIDATION');
      expect(response.body.error.message).toMatch(/channels\.0: /);
      expect(response.body.error.message).toMatch(/\(body\): Unrecognized key\(s\) in object: 'surprise'/);
    });

    it('refuses HMAC or "none" algorithms', async () => {
      const response = await request(service.url).put(`/admin/participants/p${randomUUID().slice(0, 8)}`).set(admin()).send(body({ allowedAlgorithms: ['HS256'] })).expect(400);
      expect(response.body.error.code).toBe('ERR_VALIDATION');
    });

    it('lists participants with their public keys only', async () => {
      const response = await request(service.url).get(`/admin/participants/${host.code}`).set(admin()).expect(200);
      expect(response.body).toMatchObject({ code: host.code, hostOrigins: [ORIGIN], allowedAlgorithms: ['PS256'] });
      expect(JSON.stringify(response.body)).not.toContain('PRIVATE KEY');
    });
  });

  describe('production cookies and a Billers key rotation', () => {
    let rotated: RunningService;
    let previousKeyFile: string;
    const previous = rsaPair();

    beforeAll(async () => {
      previousKeyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'billers-prev-')), 'previous.pem');
      fs.writeFileSync(previousKeyFile, previous.privatePem, { mode: 0o600 });
      rotated = await startSessionService(keys, {
        clock,
        extraEnv: { SESSION_COOKIE_SECURE: 'true', BILLERS_ENCRYPTION_KEY_PREVIOUS_FILE: previousKeyFile, BILLERS_ENCRYPTION_KID_PREVIOUS: 'billers-enc-previous' },
      });
    }, 60_000);
    afterAll(async () => {
      await rotated?.stop();
      fs.rmSync(path.dirname(previousKeyFile), { recursive: true, force: true });
    }, 30_000);

    it('sets the page token cookie Secure; SameSite=None; Partitioned for cross-site framing', async () => {
      const response = await request(rotated.url).get(launchPath(await launchQuery(host, keys))).expect(200);
      expect(String(response.headers['set-cookie'])).toMatch(/; HttpOnly; Secure; SameSite=None; Partitioned$/);
    });

    it('opens tokens encrypted for the previous Billers key during a rotation, selected by kid', async () => {
      const sessionId = newSessionId(host);
      const token = await launchToken({ participant_code: host.code, session_id: sessionId, channel: 'web' }, host, keys, { recipientKey: previous.publicKey, recipientKid: 'billers-enc-previous' });
      const query = await launchQuery(host, keys, { session_id: sessionId });
      await request(rotated.url).get(launchPath({ ...query, token })).expect(200);
      // The kid selects the key: the previous key's token under the current kid does not open.
      const wrongKid = await launchToken({ participant_code: host.code, session_id: newSessionId(host), channel: 'web' }, host, keys, { recipientKey: previous.publicKey });
      const response = await request(rotated.url).get(launchPath({ ...(await launchQuery(host, keys)), token: wrongKid })).set('accept', 'application/json');
      expect(response.body.error.code).toBe('800');
    });
  });
});
