/**
 * NCHL wire compatibility, tested as an NPI member tests its existing integration: auth-service and
 * payment-service from their service definitions on the real PostgreSQL and Kafka; the member gets
 * its token with the password grant (Basic client authentication), signs with its PFX through
 * `openssl`, and walks NCHL's API specification: real-time and non-real-time batches, a Billers
 * confirm, every reporting API, every list and details API. Each answer is compared key by key and
 * type by type with NCHL's published sample (`expectSameShape`), and NPI's signature of each answer
 * (`X-NPI-Token` over the body bytes) is verified with `openssl dgst` and NPI's certificate. Bad
 * input on each API answers NCHL's technical format with the documented code, never a 5xx.
 * Last, NCHL section 5.1 steps 1-7 over a simulated 12 hours (one injected clock for both services):
 * the stored refresh token of the password grant renews every access token until it expires.
 *
 * The one step that is not the member's: session-service's `billers.bill.prepared.v1` (a bill a
 * live Billers session prepared) is published by the test, as that service would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BillersBillPreparedV1 } from '@npi/kafka-contracts';
import { publishEvent } from '@npi/messaging';
import { eventually, expectSameShape, nchlRealTimeBatch, passwordGrantToken, registerNpiMember, tokenEndpoint as oauthTokenEndpoint } from '@npi/testing';
import type { NpiMember } from '@npi/testing';
import { NCHL_SAMPLES } from '../../apps/payment-service/src/npi/nchl-samples';
import { startPaymentService } from '../../apps/payment-service/test/support/payment-harness';
import type { PaymentUnderTest } from '../../apps/payment-service/test/support/payment-harness';
import { TEST_AUTH_ISSUER, startAuthService } from '../support/auth-under-test';
import type { AuthUnderTest } from '../support/auth-under-test';

jest.setTimeout(60_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-wire-'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Answer {
  status: number;
  body: Json;
  raw: Buffer;
  signature: string | null;
}

/** The member's signing: `openssl dgst -sha256 -sign` with the key out of its PFX, base64. */
function opensslSigner(pfxFile: string, passphrase: string): (tokenString: string) => string {
  const keyFile = path.join(dir, `${path.basename(pfxFile)}.key.pem`);
  execFileSync('openssl', ['pkcs12', '-in', pfxFile, '-nocerts', '-nodes', '-passin', `pass:${passphrase}`, '-out', keyFile]);
  return (tokenString) => {
    const input = path.join(dir, `ts-${randomUUID()}.txt`);
    fs.writeFileSync(input, tokenString, 'utf8');
    const signature = execFileSync('openssl', ['dgst', '-sha256', '-sign', keyFile, input]);
    fs.rmSync(input);
    return signature.toString('base64');
  };
}

/** `openssl dgst -sha256 -verify` of NPI's answer signature over the exact body bytes. */
function opensslVerifies(publicKeyFile: string, body: Buffer, signatureBase64: string): boolean {
  const bodyFile = path.join(dir, `answer-${randomUUID()}.json`);
  const signatureFile = `${bodyFile}.sig`;
  fs.writeFileSync(bodyFile, body);
  fs.writeFileSync(signatureFile, Buffer.from(signatureBase64, 'base64'));
  try {
    return execFileSync('openssl', ['dgst', '-sha256', '-verify', publicKeyFile, '-signature', signatureFile, bodyFile], { encoding: 'utf8' }).includes('Verified OK');
  } catch {
    return false;
  } finally {
    fs.rmSync(bodyFile, { force: true });
    fs.rmSync(signatureFile, { force: true });
  }
}

describe("an NPI member's existing integration against NCHL's wire format", () => {
  let auth: AuthUnderTest;
  let payment: PaymentUnderTest;
  let url: string;
  let member: NpiMember;
  let signToken: (tokenString: string) => string;
  let npiPublicKeyFile: string;
  let accessToken: string;
  /** One clock for both services, moved forward to replay NCHL's 12-hour token routine. */
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const posted: { cips?: { batchId: string; instructionId: string }; nchlips?: { batchId: string; instructionId: string }; bill?: { batchId: string; instructionId: string } } = {};

  const tokenEndpoint = (client: { clientId: string; clientSecret: string }, form: Record<string, string>) => oauthTokenEndpoint(auth.url, client, form);

  async function call(method: string, pathname: string, options: { body?: unknown; rawBody?: string; token?: string | null; base?: string } = {}): Promise<Answer> {
    const token = options.token === undefined ? accessToken : options.token;
    const hasBody = options.body !== undefined || options.rawBody !== undefined;
    const response = await fetch(`${options.base ?? url}${pathname}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const raw = Buffer.from(await response.arrayBuffer());
    return { status: response.status, raw, body: raw.length > 0 ? JSON.parse(raw.toString('utf8')) : null, signature: response.headers.get('x-npi-token') };
  }

  /** 200, NCHL's sample shape, and NPI's signature over the bytes verified with openssl. */
  function expectNchlAnswer(answer: Answer, sample: unknown, allowExtra: string[] = []): Json {
    expect([answer.status, answer.body?.responseCode]).toEqual([200, answer.body?.responseCode]);
    expectSameShape(sample, answer.body, { allowExtra });
    expect(answer.signature).toEqual(expect.any(String));
    expect(opensslVerifies(npiPublicKeyFile, answer.raw, answer.signature as string)).toBe(true);
    return answer.body;
  }

  function realTime(batchId: string, amount: number) {
    return nchlRealTimeBatch({
      batchId, amount, debtorName: 'Wire Wallet', debtorAccount: member.debtorAccount, endToEndId: 'Payment Description', purpose: null, creditorName: 'Rojan Nepal',
      userId: member.username, sign: signToken,
    });
  }

  beforeAll(async () => {
    auth = await startAuthService({ dir, kafkaClientId: 'auth-service-wire-test', clock });
    payment = await startPaymentService({ issuer: TEST_AUTH_ISSUER, jwksUrl: auth.jwksUrl }, { clock });
    url = payment.service.url;

    // Operator: the member's OAuth client and user (auth-service), its member record, certificate,
    // whitelisted account and debit cap (payment-service), and an account for validation.
    member = await registerNpiMember({
      auth, payment: { url, adminToken: payment.adminToken }, dir, code: `WIRE${randomBytes(2).toString('hex').toUpperCase()}`, clientPrefix: 'wire', name: 'Wire Wallet',
      debtorAccount: '0010055573200018', accountName: 'Wire Wallet Pool', letterNumber: 'HBL/DAL/2026/002', letterDocumentHash: 'c'.repeat(64), capAmount: '1000000.00',
    });
    signToken = opensslSigner(member.pfxFile, member.passphrase);
    expect((await call('POST', '/admin/accounts', { token: payment.adminToken, body: { bankId: '0401', branchId: '81', accountId: '08110017501011', accountName: 'MANISHA DHAUBANJAR' } })).status).toBe(201);

    // The member keeps NPI's certificate; openssl takes its public key out for verification.
    const certificate = await call('GET', '/api/npi-certificate', { token: null });
    const certificateFile = path.join(dir, 'npi.pem');
    fs.writeFileSync(certificateFile, certificate.body.certificatePem);
    npiPublicKeyFile = path.join(dir, 'npi.pub');
    execFileSync('openssl', ['x509', '-in', certificateFile, '-pubkey', '-noout', '-out', npiPublicKeyFile]);

    // NCHL section 5.1 step 1 (its 12-hour refresh routine is replayed in the last test).
    accessToken = await passwordGrantToken(auth.url, member, member.username, member.password);
    // payment-service learns the client's source CIDRs over Kafka.
    await eventually(async () => expect((await call('GET', '/api/getcipsbanklist')).status).toBe(200), { timeoutMs: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await payment?.service.stop();
    await auth?.service.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('posts a real-time batch (postcipsbatch): the answer is shaped as NCHL\'s sample and signed', async () => {
    const batchId = `KHA-${randomBytes(4).toString('hex')}`;
    const body = expectNchlAnswer(await call('POST', '/api/postcipsbatch', { body: realTime(batchId, 200.25) }), NCHL_SAMPLES.postcipsbatch, ['token']);
    expect(body.cipsBatchResponse).toMatchObject({ responseCode: '000', debitStatus: '000', batchId });
    expect(body.cipsTxnResponseList[0]).toMatchObject({ responseCode: '000', creditStatus: 'DEFER' });
    posted.cips = { batchId, instructionId: `${batchId}-1` };
  });

  it('posts a non-real-time batch of three (postnchlipsbatch)', async () => {
    const batchId = `TEST${randomBytes(4).toString('hex')}`;
    const list = [1, 2, 3].map((n) => ({ instructionId: `${batchId}-${n}`, endToEndId: `${batchId}-${n}`, amount: 5, creditorAgent: '4501', creditorBranch: '23', creditorName: `Creditor ${n}`, creditorAccount: `02301105000074${n}` }));
    const batch = { batchId, batchAmount: 15, batchCount: 3, batchCrncy: 'NPR', categoryPurpose: 'CUST', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Wire Wallet', debtorAccount: member.debtorAccount };
    const tokenString = `${batchId},2501,1,${member.debtorAccount},15.00,NPR,CUST,${list.map((t) => `${t.instructionId},4501,23,${t.creditorAccount},5.00,`).join('')}${member.username}`;
    const body = expectNchlAnswer(await call('POST', '/api/postnchlipsbatch', { body: { nchlIpsBatchDetail: batch, nchlIpsTransactionDetailList: list, token: signToken(tokenString) } }), NCHL_SAMPLES.postnchlipsbatch, ['token']);
    expect(body.cipsTxnResponseList.map((t: Json) => t.creditStatus)).toEqual(['ACTC', 'ACTC', 'ACTC']);
    posted.nchlips = { batchId, instructionId: `${batchId}-2` };
  });

  it('confirms a Billers payment (confirmbillerpay.do) in NCHL\'s confirm shape, charged from the biller app\'s slabs', async () => {
    const batchId = `T13-${randomBytes(4).toString('hex')}`;
    const instructionId = `${batchId}-1`;
    await publishEvent(payment.service.deps.broker, BillersBillPreparedV1, {
      participantCode: member.code, sessionId: `${member.code}_${randomUUID()}`, batchId, instructionId, endToEndId: 'Traffic Fine Payment',
      appId: 'MER-984-APP-1', refId: '187145', amount: '1000.00', currency: 'NPR', billerCode: 'TRAFFIC', expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    }, { producer: 'session-service', key: member.code });
    const bill = { id: 12816806, instructionId, endToEndId: 'Traffic Fine Payment', amount: 1000, appId: 'MER-984-APP-1', refId: '187145', freeCode1: '7778' };
    const batch = { batchId, batchAmount: 1000, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'GREV', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Wire Wallet', debtorAccount: member.debtorAccount };
    const tokenString = `${batchId},2501,1,${member.debtorAccount},1000.00,NPR,12816806,${instructionId},Traffic Fine Payment,MER-984-APP-1,187145,1000.00,${member.username}`;
    const answer = await eventually(async () => {
      const confirmed = await call('POST', '/api/npibiller/confirmbillerpay.do', { body: { cipsBatchDetail: batch, cipsTransactionDetail: bill, token: signToken(tokenString) } });
      expect(confirmed.status).toBe(200);
      return confirmed;
    }, { timeoutMs: 30_000 });
    const body = expectNchlAnswer(answer, NCHL_SAMPLES.confirmbillerpay);
    expect(body.responseResult).toEqual({ responseCode: '000', responseDescription: 'SUCCESS', fieldErrors: [] });
    expect(body.cipsBatchDetail).toMatchObject({ batchId, debitStatus: '000', batchChargeAmount: 2 });
    expect(body.cipsTransactionDetail).toMatchObject({ instructionId, amount: 1000, chargeAmount: 2, appId: 'MER-984-APP-1', refId: '187145', freeCode1: '7778', creditStatus: 'DEFER' });
    posted.bill = { batchId, instructionId };
  });

  it('reads every reporting API at NCHL\'s paths, each answer shaped as NCHL\'s Case I / Case VI sample', async () => {
    const { cips, nchlips, bill } = posted;
    if (!cips || !nchlips || !bill) throw new Error('the posting tests run first');
    const today = new Date();
    const from = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
    const to = new Date(today.getTime() + 86_400_000).toISOString().slice(0, 10);
    const cipsSample = NCHL_SAMPLES.getcipstxnbyinstructionid;
    const ipsSample = NCHL_SAMPLES.getnchlipstxnlistbyinstructionid;
    const extra = ['orignBranchId'];

    const cipsByDate = expectNchlAnswer(await call('POST', '/api/getcipstxnlistbydate', { body: { txnDateFrom: from, txnDateTo: to } }), [cipsSample], ['[].orignBranchId']);
    expect(cipsByDate.map((t: Json) => t.instructionId)).toEqual(expect.arrayContaining([cips.instructionId, bill.instructionId]));
    const cipsByBatch = expectNchlAnswer(await call('POST', '/api/getcipstxnlistbybatchid', { body: { batchId: cips.batchId } }), [cipsSample], ['[].orignBranchId']);
    expect(cipsByBatch).toHaveLength(1);
    const cipsOne = expectNchlAnswer(await call('POST', '/api/getcipstxnbyinstructionid', { body: { batchId: cips.batchId, instructionId: cips.instructionId } }), cipsSample, extra);
    expect(cipsOne).toMatchObject({ instructionId: cips.instructionId, amount: 200.25, chargeAmount: 2, chargeLiability: 'CG', creditStatus: 'DEFER', rcreUserId: member.username, cipsBatchDetail: { batchId: cips.batchId, debitStatus: '000', debitReasonDesc: 'SUCCESS', channelId: 'TECHM' } });
    const billOne = expectNchlAnswer(await call('POST', '/api/getcipstxnbyinstructionid', { body: { batchId: bill.batchId, instructionId: bill.instructionId } }), cipsSample, extra);
    expect(billOne).toMatchObject({ appId: 'MER-984-APP-1', chargeAmount: 2 });

    const ipsByDate = expectNchlAnswer(await call('POST', '/api/getnchlipstxnlistbydate', { body: { txnDateFrom: from, txnDateTo: to } }), [ipsSample], ['[].orignBranchId']);
    expect(ipsByDate.filter((t: Json) => t.nchlIpsBatchDetail.batchId === nchlips.batchId)).toHaveLength(3);
    expectNchlAnswer(await call('POST', '/api/getnchlipstxnlistbybatchid', { body: { batchId: nchlips.batchId } }), [ipsSample], ['[].orignBranchId']);
    const ipsOne = expectNchlAnswer(await call('POST', '/api/getnchlipstxnlistbyinstructionid', { body: { batchId: nchlips.batchId, instructionId: nchlips.instructionId } }), ipsSample, extra);
    expect(ipsOne).toMatchObject({ instructionId: nchlips.instructionId, amount: 5, creditStatus: 'ACTC', nchlIpsBatchDetail: { batchId: nchlips.batchId, batchAmount: 15, batchCount: 3 } });
  });

  it('reads every list API, each shaped as NCHL\'s sample', async () => {
    const banks = expectNchlAnswer(await call('GET', '/api/getbanklist'), NCHL_SAMPLES.getbanklist);
    expect(banks).toEqual(expect.arrayContaining([{ bankId: '2501', bankName: 'Himalayan Bank Limited' }]));
    expect(banks.map((b: Json) => b.bankId)).not.toContain('9935'); // a connectIPS-only bank
    const cipsBanks = expectNchlAnswer(await call('GET', '/api/getcipsbanklist'), NCHL_SAMPLES.getcipsbanklist);
    expect(cipsBanks.map((b: Json) => b.bankId)).toContain('9935');
    expectNchlAnswer(await call('GET', '/api/getbranchlist'), NCHL_SAMPLES.getbranchlist);
    expectNchlAnswer(await call('GET', '/api/getcipsbranchlist'), NCHL_SAMPLES.getcipsbranchlist);
    expect(expectNchlAnswer(await call('GET', '/api/getbranchlist/4501'), NCHL_SAMPLES.getbranchlistBankId)).toEqual([
      { branchId: '1', bankId: '4501', branchName: 'Kamaladi' },
      { branchId: '23', bankId: '4501', branchName: 'Pokhara' },
    ]);
    expect(expectNchlAnswer(await call('GET', '/api/getcipschargelist/MER-1-APP-3'), NCHL_SAMPLES.getcipschargelist)).toEqual(NCHL_SAMPLES.getcipschargelist);
    // The demo directory's flags (other tests may add banks to the shared database meanwhile).
    const validating = expectNchlAnswer(await call('GET', '/api/getacvalidationenabledbanklist'), NCHL_SAMPLES.getacvalidationenabledbanklist).map((b: Json) => b.bankId);
    expect(validating).toEqual(expect.arrayContaining(['0401', '2501', '4501']));
    expect(validating).not.toEqual(expect.arrayContaining(['1701']));
    const reversing = expectNchlAnswer(await call('GET', '/api/getreversalenabledbanklist'), NCHL_SAMPLES.getreversalenabledbanklist).map((b: Json) => b.bankId);
    expect(reversing).toEqual(expect.arrayContaining(['0401', '2501', '2601']));
    expect(reversing).not.toEqual(expect.arrayContaining(['4501']));
    const release = expectNchlAnswer(await call('POST', '/api/tp/auto-release/details', { body: { bankCode: '2501' } }), NCHL_SAMPLES.tpAutoReleaseDetails);
    expect(release.data).toEqual(expect.arrayContaining([{ categoryPurpose: 'SALA', bankCode: '2501', maxAutoReleaseAmount: '5,000,000.00', currency: 'NPR', bankName: 'Himalayan Bank Limited', status: 'Approved' }]));
    expectNchlAnswer(await call('GET', '/api/tp/auto-release/details?bankCode=2501'), NCHL_SAMPLES.tpAutoReleaseDetails);
  });

  it('reads every details API, each shaped as NCHL\'s sample', async () => {
    const accounts = expectNchlAnswer(await call('GET', '/api/bank-account/details'), NCHL_SAMPLES.bankAccountDetails);
    expect(accounts.data).toEqual([expect.objectContaining({ bankId: '2501', accountId: '00**********0018', bankName: 'Himalayan Bank Limited', status: 'ACCEPTED' })]);
    const caps = expectNchlAnswer(await call('GET', '/api/debit-cap/details'), NCHL_SAMPLES.debitCapDetails);
    expect(caps.responseData).toEqual([{ debitCap: 1000000, clrBalAmount: 1000000 - 200.25 - 15 - 1000, bankName: 'Himalayan Bank Limited', sessionId: expect.any(Number) }]);
    const validated = expectNchlAnswer(await call('POST', '/api/validatebankaccount', { body: { bankId: '0401', accountId: '08110017501011', accountName: 'MANISHA DHAUBANJAR' } }), NCHL_SAMPLES.validatebankaccount, ['matchPercentage']);
    expect(validated).toMatchObject({ responseCode: '000', matchPercentate: 100, accountId: '08********1011' });
  });

  const technical = (answer: Answer, status: number, code: string) => {
    expect([answer.status, answer.body?.responseCode]).toEqual([status, code]);
    // NCHL's technical format exactly (a transaction API's refusal naming a batchId adds NPI's `token`).
    expectSameShape(NCHL_SAMPLES.technicalError, answer.body, { allowExtra: ['token'] });
  };

  it('answers bad input on every API in NCHL\'s technical format with the documented code, never a 5xx', async () => {
    const cases: [string, string, { body?: unknown; rawBody?: string; token?: null }, number, string][] = [
      ['POST', '/api/postcipsbatch', { body: {} }, 400, 'E007'],
      ['POST', '/api/postcipsbatch', { rawBody: '{"cipsBatchDetail":' }, 400, 'E007'],
      ['POST', '/api/postnchlipsbatch', { body: { nchlIpsBatchDetail: 'x', nchlIpsTransactionDetailList: 5, token: 'x' } }, 400, 'E007'],
      ['POST', '/api/npibiller/confirmbillerpay.do', { body: { cipsBatchDetail: { batchId: '\u0000' } } }, 400, 'E007'],
      ['POST', '/api/getcipstxnlistbydate', { body: { txnDateFrom: '2026-13-45', txnDateTo: '2026-13-46' } }, 400, 'E007'],
      ['POST', '/api/getnchlipstxnlistbydate', { body: { txnDateFrom: 5 } }, 400, 'E007'],
      ['POST', '/api/getcipstxnlistbybatchid', { body: { batchId: 'bad\u0000id' } }, 400, 'E007'],
      ['POST', '/api/getnchlipstxnlistbybatchid', { body: [] }, 400, 'E007'],
      ['POST', '/api/getcipstxnbyinstructionid', { body: { batchId: 'NO-SUCH', instructionId: 'NO-SUCH-1' } }, 400, 'E004'],
      ['POST', '/api/getnchlipstxnlistbyinstructionid', { body: { batchId: 'x'.repeat(21), instructionId: 'y' } }, 400, 'E007'],
      ['GET', '/api/getbranchlist/%00', {}, 400, 'E007'],
      ['GET', '/api/getbranchlist/%E0%A4%A', {}, 400, 'E007'],
      ['GET', '/api/getbranchlist/0000', {}, 400, 'E004'],
      ['GET', `/api/getbranchlist/${'9'.repeat(300)}`, {}, 400, 'E007'],
      ['GET', '/api/getcipschargelist/%00', {}, 400, 'E007'],
      ['GET', '/api/getcipschargelist/..%2F..%2Fetc', {}, 400, 'E007'],
      ['POST', '/api/tp/auto-release/details', { body: { bankCode: { $ne: null } } }, 400, 'E007'],
      ['GET', '/api/tp/auto-release/details?bankCode=%00', {}, 400, 'E007'],
      ['POST', '/api/validatebankaccount', { body: { bankId: '0401\u0000', accountId: '1', accountName: 'x' } }, 400, 'E007'],
      ['POST', '/api/validatebankaccount', { body: { bankId: '0401', accountId: '999', accountName: 'Nobody' } }, 400, 'E004'],
      ['GET', '/api/bank-account/details', { token: null }, 401, 'E999'],
      ['GET', '/api/debit-cap/details', { token: null }, 401, 'E999'],
      ['GET', '/api/getbanklist', { token: null }, 401, 'E999'],
      ['GET', '/api/getcipsbanklist', { token: null }, 401, 'E999'],
      ['GET', '/api/getbranchlist', { token: null }, 401, 'E999'],
      ['GET', '/api/getcipsbranchlist', { token: null }, 401, 'E999'],
      ['GET', '/api/getacvalidationenabledbanklist', { token: null }, 401, 'E999'],
      ['GET', '/api/getreversalenabledbanklist', { token: null }, 401, 'E999'],
    ];
    for (const [method, pathname, options, status, code] of cases) {
      const answer = await call(method, pathname, options);
      try {
        technical(answer, status, code);
      } catch (error) {
        throw new Error(`${method} ${pathname}: ${(error as Error).message}\n${answer.raw.toString('utf8')}`);
      }
    }
    // A tampered signature is E003; the same batchId again is 99: both in the technical format.
    const batchId = `BAD-${randomBytes(4).toString('hex')}`;
    const tampered = realTime(batchId, 10);
    tampered.cipsTransactionDetailList[0].amount = 11;
    tampered.cipsBatchDetail.batchAmount = 11;
    technical(await call('POST', '/api/postcipsbatch', { body: tampered }), 400, 'E003');
    expect((await call('POST', '/api/postcipsbatch', { body: realTime(batchId, 10) })).status).toBe(200);
    technical(await call('POST', '/api/postcipsbatch', { body: realTime(batchId, 12) }), 400, '99');
  });
  it("follows NCHL section 5.1 for 12 hours: the stored refresh token of the password grant gets every access token, then the password grant again", async () => {
    const minutes = (n: number) => n * 60_000;
    const refresh = (refreshToken: string) => tokenEndpoint(member, { grant_type: 'refresh_token', refresh_token: refreshToken });
    const usable = async (token: string) => (await call('GET', '/api/debit-cap/details', { token })).status;
    try {
      // Step 1: password grant; store the refresh token (its access token is not used).
      const first = await tokenEndpoint(member, { grant_type: 'password', username: member.username, password: member.password });
      expect(first.status).toBe(200);
      const stored: string = first.body.refresh_token;
      // Steps 2, 4, 5, 6: a new access token from the SAME stored refresh token, again after each access token expired (up to 11 h 55 min).
      for (const at of [0, 6, 12, 360, 709]) {
        clock.offsetMs = minutes(at);
        const renewed = await refresh(stored);
        expect([at, renewed.status]).toEqual([at, 200]);
        expect(await usable(renewed.body.access_token)).toBe(200);
        // The access token expires after 300 s: 401, and the stored refresh token renews it (step 6).
        clock.offsetMs = minutes(at) + 320_000; // past 300 s and the verifier's 5 s clock tolerance
        expect(await usable(renewed.body.access_token)).toBe(401);
        const again = await refresh(stored);
        expect([again.status, again.body.error_description ?? again.body.error ?? null]).toEqual([200, null]);
        expect(await usable(again.body.access_token)).toBe(200);
      }
      // Step 7: after 12 h the refresh token is refused (400); step 1 again, and the new one works (steps 2-3).
      clock.offsetMs = minutes(12 * 60) + 1_000;
      const expired = await refresh(stored);
      expect(expired.status).toBe(400);
      const renewedLogin = await tokenEndpoint(member, { grant_type: 'password', username: member.username, password: member.password });
      expect(renewedLogin.status).toBe(200);
      const next = await refresh(renewedLogin.body.refresh_token);
      expect(next.status).toBe(200);
      expect(await usable(next.body.access_token)).toBe(200);
    } finally {
      clock.offsetMs = 0;
    }
  });
});
