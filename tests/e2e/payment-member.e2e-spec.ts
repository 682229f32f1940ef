/**
 * A test written as an NPI member would write it. auth-service and
 * payment-service run from their service definitions against the real PostgreSQL and Kafka; the
 * operator registers the member through both admin APIs; the member then gets an OAuth token
 * (password grant, Basic client auth), signs with its PFX through `openssl` + `node:crypto` only
 * (token strings written from docs/npi-reference.md by @npi/testing's `nchlRealTimeBatch`, not by @npi/signature-token), posts real-time and
 * non-real-time batches, and checks NPI's answer token with NPI's published certificate.
 */
import { constants, randomBytes, sign, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateMemberCredentials } from '@npi/signature-token';
import { createOAuthClientWithUser, eventually, nchlRealTimeBatch, passwordGrantToken, registerNpiMember } from '@npi/testing';
import type { NpiMember } from '@npi/testing';
import { startPaymentService } from '../../apps/payment-service/test/support/payment-harness';
import type { PaymentUnderTest } from '../../apps/payment-service/test/support/payment-harness';
import { TEST_AUTH_ISSUER, startAuthService } from '../support/auth-under-test';
import type { AuthUnderTest } from '../support/auth-under-test';

jest.setTimeout(60_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-member-'));

/** The member's signing code: private key out of the PFX with openssl, SHA256withRSA with node:crypto. */
function memberSigner(pfxFile: string, passphrase: string): (tokenString: string) => string {
  const keyPem = execFileSync('openssl', ['pkcs12', '-in', pfxFile, '-nocerts', '-nodes', '-passin', `pass:${passphrase}`], { encoding: 'utf8' });
  return (tokenString) => sign('sha256', Buffer.from(tokenString, 'utf8'), { key: keyPem, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
}

describe('an NPI member integrating with payment-service', () => {
  let auth: AuthUnderTest;
  let payment: PaymentUnderTest;
  let admin: AuthUnderTest['admin'];
  let member: NpiMember;
  let signToken: (tokenString: string) => string;
  let npiCertificatePem: string;

  const oauthToken = (client: { clientId: string; clientSecret: string }, username: string, password: string) => passwordGrantToken(auth.url, client, username, password);
  async function call(base: string, method: string, pathname: string, token: string, body?: unknown) {
    const response = await fetch(`${base}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  function realTime(batchId: string, amount: number, debtorAccount = member.debtorAccount) {
    return nchlRealTimeBatch({ batchId, amount, debtorAccount, endToEndId: 'Bill payment', userId: member.username, sign: signToken });
  }
  function npiSigned(answer: { cipsBatchResponse: any; cipsTxnResponseList?: any[]; token: string }): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
    const b = answer.cipsBatchResponse;
    const tokenString = [b.batchId, b.responseCode, b.debitStatus ?? '', ...(answer.cipsTxnResponseList ?? []).flatMap((t) => [t.instructionId, t.responseCode, t.creditStatus ?? ''])].join(',');
    return verify('sha256', Buffer.from(tokenString), { key: npiCertificatePem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(answer.token, 'base64'));
  }

  beforeAll(async () => {
    auth = await startAuthService({ dir, kafkaClientId: 'auth-service-member-test' });
    admin = auth.admin;
    payment = await startPaymentService({ issuer: TEST_AUTH_ISSUER, jwksUrl: auth.jwksUrl });

    // Operator: the member's client (loopback allowed) and user at auth-service; member, certificate
    // (NCHL issues it for the member's key; the member keeps the PFX), whitelisted account (Debit
    // Authorization Letter) and cap at payment-service.
    member = await registerNpiMember({
      auth, payment: { url: payment.service.url, adminToken: payment.adminToken }, dir, code: `NIMB${randomBytes(2).toString('hex').toUpperCase()}`, clientPrefix: 'wallet', name: 'Demo Wallet',
      debtorAccount: '0010055573200018', accountName: 'Demo Wallet Pool', letterNumber: 'HBL/DAL/2026/001', letterDocumentHash: 'b'.repeat(64), capAmount: '100000.00',
    });
    signToken = memberSigner(member.pfxFile, member.passphrase);
    const url = payment.service.url;
    npiCertificatePem = ((await (await fetch(`${url}/api/npi-certificate`)).json()) as { certificatePem: string }).certificatePem;
  }, 120_000);

  afterAll(async () => {
    await payment?.service.stop();
    await auth?.service.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('posts a real-time payment with an OAuth token and a PFX signature, and verifies NPI\'s answer token', async () => {
    const accessToken = await oauthToken(member, member.username, member.password);
    const batchId = `KHA-${randomBytes(4).toString('hex')}`;
    // payment-service learns the client's CIDRs from auth.client.updated.v1 over Kafka.
    const answer = await eventually(async () => {
      const posted = await call(payment.service.url, 'POST', '/api/postcipsbatch', accessToken, realTime(batchId, 1500));
      expect(posted.status).toBe(200);
      return posted.body;
    }, { timeoutMs: 30_000 });
    expect(answer.cipsBatchResponse).toMatchObject({ responseCode: '000', batchId, debitStatus: '000' });
    expect(answer.cipsTxnResponseList[0]).toMatchObject({ responseCode: '000', instructionId: `${batchId}-1`, creditStatus: 'DEFER' });
    expect(npiSigned(answer as never)).toBe(true);

    // The same batchId again (a new request) is 99; the identical request retried gets the first answer.
    const again = await call(payment.service.url, 'POST', '/api/postcipsbatch', accessToken, realTime(batchId, 1501));
    expect([again.status, again.body.responseCode]).toEqual([400, '99']);
  });

  it('posts a non-real-time batch of 100 transactions, signed over every transaction', async () => {
    const accessToken = await oauthToken(member, member.username, member.password);
    const batchId = `SAL-${randomBytes(4).toString('hex')}`;
    const list = Array.from({ length: 100 }, (_, i) => ({ instructionId: `${batchId}-${i + 1}`, endToEndId: 'Salary', amount: 250.5, creditorAgent: '4501', creditorBranch: '23', creditorName: `Staff ${i}`, creditorAccount: `00101116${String(i).padStart(7, '0')}` }));
    const batch = { batchId, batchAmount: 25050, batchCount: 100, batchCrncy: 'NPR', categoryPurpose: 'SALA', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Demo Wallet', debtorAccount: member.debtorAccount };
    const tokenString = `${batchId},2501,1,${member.debtorAccount},25050.00,NPR,SALA,${list.map((t) => `${t.instructionId},4501,23,${t.creditorAccount},250.50,`).join('')}${member.username}`;
    const answer = await eventually(async () => {
      const posted = await call(payment.service.url, 'POST', '/api/postnchlipsbatch', accessToken, { nchlIpsBatchDetail: batch, nchlIpsTransactionDetailList: list, token: signToken(tokenString) });
      expect(posted.status).toBe(200);
      return posted.body;
    }, { timeoutMs: 30_000 });
    expect(answer.cipsTxnResponseList).toHaveLength(100);
    expect(npiSigned(answer as never)).toBe(true);
  });

  it('is refused a tampered amount (E003) and a debit from an account that is not whitelisted (E007)', async () => {
    const accessToken = await oauthToken(member, member.username, member.password);
    const tampered = realTime(`TMP-${randomBytes(4).toString('hex')}`, 100);
    tampered.cipsTransactionDetailList[0].amount = 100_000;
    tampered.cipsBatchDetail.batchAmount = 100_000;
    const refused = await eventually(async () => {
      const posted = await call(payment.service.url, 'POST', '/api/postcipsbatch', accessToken, tampered);
      expect(posted.status).toBe(400);
      return posted.body;
    }, { timeoutMs: 30_000 });
    expect(refused.responseCode).toBe('E003');
    const other = await call(payment.service.url, 'POST', '/api/postcipsbatch', accessToken, realTime(`NWL-${randomBytes(4).toString('hex')}`, 10, '0019999999999999'));
    expect([other.status, other.body.responseCode]).toEqual([400, 'E007']);
  });

  it('lets a bank debit its own customer directly (no whitelist entry)', async () => {
    const url = payment.service.url;
    const operator = payment.adminToken;
    const bankUser = `${member.code}.bank@999`;
    const adminToken = await oauthToken(admin, admin.username, admin.password);
    const bank = await createOAuthClientWithUser(auth.url, adminToken, { clientId: `bank-${member.code.toLowerCase()}`, username: bankUser });
    const passphrase = randomBytes(12).toString('base64url');
    const credentials = generateMemberCredentials({ commonName: `${member.code}-BANK`, passphrase, days: 30 });
    const pfxFile = path.join(dir, 'bank.pfx');
    fs.writeFileSync(pfxFile, credentials.pfx, { mode: 0o600 });
    const bankSign = memberSigner(pfxFile, passphrase);
    await call(url, 'POST', '/admin/members', operator, { code: `${member.code}B`, name: 'Himalayan Bank', kind: 'BANK', bankId: '2501', oauthClientId: bank.clientId, userId: bankUser, certificatePem: credentials.certificatePem });
    const accessToken = await oauthToken(bank, bankUser, bank.password);
    const batchId = `MOB-${randomBytes(4).toString('hex')}`;
    const customerAccount = '0021234567890123';
    const body = nchlRealTimeBatch({
      batchId, amount: 700, debtorBranch: '2', debtorName: 'Sita Customer', debtorAccount: customerAccount, endToEndId: 'Mobile banking', purpose: null,
      creditorName: 'Hari', creditorAccount: '001011160000999', userId: bankUser, sign: bankSign,
    });
    const answer = await eventually(async () => {
      const posted = await call(url, 'POST', '/api/postcipsbatch', accessToken, body);
      expect(posted.status).toBe(200);
      return posted.body;
    }, { timeoutMs: 30_000 });
    expect(answer.cipsBatchResponse.responseCode).toBe('000');
    expect(npiSigned(answer as never)).toBe(true);
  });

  it('is refused from a source address outside its client\'s allowlist (E001, HTTP 403)', async () => {
    const adminToken = await oauthToken(admin, admin.username, admin.password);
    const accessToken = await oauthToken(member, member.username, member.password);
    // The operator narrows the member's CIDRs; payment-service hears it over Kafka and refuses.
    expect((await call(auth.url, 'PATCH', `/admin/clients/${member.clientId}`, adminToken, { allowedCidrs: ['10.0.0.0/8'] })).status).toBe(200);
    await eventually(async () => {
      const posted = await call(payment.service.url, 'POST', '/api/postcipsbatch', accessToken, realTime(`IP-${randomBytes(4).toString('hex')}`, 5));
      expect([posted.status, posted.body.responseCode]).toEqual([403, 'E001']);
    }, { timeoutMs: 30_000 });
    await call(auth.url, 'PATCH', `/admin/clients/${member.clientId}`, adminToken, { allowedCidrs: ['127.0.0.1/32', '::1/128'] });
  });
});
