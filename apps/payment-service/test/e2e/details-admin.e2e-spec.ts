/**
 * The operator's admin API (members, certificates, whitelist with the Debit Authorization Letter,
 * debit caps) and the member's detail APIs, through HTTP.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { generateMemberCredentials } from '@npi/signature-token';
import { eventually } from '@npi/testing';
import { announceClient, realTimeBody, startLocalIssuer, startPaymentService } from '../support/payment-harness';
import type { LocalIssuer, PaymentUnderTest, TestMember } from '../support/payment-harness';

describe('payment-service admin and detail APIs', () => {
  let issuer: LocalIssuer;
  let payment: PaymentUnderTest;
  const admin = () => ({ authorization: `Bearer ${payment.adminToken}` });

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    payment = await startPaymentService(issuer);
  }, 60_000);
  afterAll(async () => {
    await payment?.service.stop();
    await issuer?.close();
  }, 30_000);

  it('refuses the admin API without the admin token', async () => {
    await request(payment.service.url).get('/admin/members/X/whitelist').expect(401);
    await request(payment.service.url).get('/admin/members/X/whitelist').set('authorization', 'Bearer wrong').expect(401);
  });

  it('registers a member, whitelists an account, sets a cap, and the member sees both; a suspended entry stops debits', async () => {
    const code = `A${randomBytes(4).toString('hex').toUpperCase()}`;
    const passphrase = randomBytes(12).toString('base64url');
    const credentials = generateMemberCredentials({ commonName: code, passphrase, days: 10 });
    const clientId = `client-${code}`;
    const username = `${code}@999`;
    const url = payment.service.url;
    await request(url).post('/admin/members').set(admin()).send({ code, name: 'Demo Wallet', kind: 'NON_BANK', oauthClientId: clientId, userId: username, certificatePem: credentials.certificatePem }).expect(200);
    const letter = { letterNumber: 'HBL/DAL/2026/17', letterDate: '2026-11-01', letterIssuingBank: 'Himalayan Bank Limited', letterDocumentHash: 'a'.repeat(64) };
    const entry = await request(url)
      .post(`/admin/members/${code}/whitelist`)
      .set(admin())
      .send({ bankId: '2501', branchId: '1', accountId: '0010012345678901', accountName: 'Demo Wallet Pool', ...letter, effectiveFrom: '2026-01-01T00:00:00Z', recordedBy: 'ops-1' })
      .expect(201);
    expect(entry.body).toMatchObject({ status: 'ACCEPTED', ...letter, recordedBy: 'ops-1' });
    await request(url).put(`/admin/members/${code}/debit-caps`).set(admin()).send({ bankId: '2501', capAmount: '50000', perTransactionLimit: 2000, updatedBy: 'ops-1' }).expect(200);
    const badCap = await request(url).put(`/admin/members/${code}/debit-caps`).set(admin()).send({ bankId: '2501', capAmount: 1.005, updatedBy: 'ops-1' }).expect(400);
    expect(badCap.body.error.code).toBe('E007');

    await announceClient(payment.service, clientId, ['127.0.0.1/32', '::1/128']);
    const token = await issuer.issue({ clientId, username });
    const member = { code, username, privateKeyPem: credentials.privateKeyPem, debtorAccount: '0010012345678901' } as TestMember;
    const caps = await eventually(async () => {
      const answer = await request(url).get('/api/debit-cap/details').set('authorization', `Bearer ${token}`).expect(200);
      return answer.body;
    });
    expect(caps).toMatchObject({ responseCode: '000', responseStatus: 'SUCCESS' });
    expect(caps.responseData).toEqual([{ bankName: 'Himalayan Bank Limited', debitCap: 50000, clrBalAmount: 50000, sessionId: expect.any(Number) }]);
    expect(String(caps.responseData[0].sessionId)).toMatch(/^\d{8}00$/);

    await request(url).post('/api/postcipsbatch').set('authorization', `Bearer ${token}`).send(realTimeBody(member, { amount: 1200 })).expect(200);
    const overLimit = await request(url).post('/api/postcipsbatch').set('authorization', `Bearer ${token}`).send(realTimeBody(member, { amount: 2500 })).expect(400);
    expect(overLimit.body.responseDescription).toContain('per-transaction limit');
    const after = await request(url).get('/api/debit-cap/details').set('authorization', `Bearer ${token}`).expect(200);
    expect(after.body.responseData[0].clrBalAmount).toBe(48800);

    // A reversal gives the reservation back, once.
    const reversible = realTimeBody(member, { amount: 300 });
    await request(url).post('/api/postcipsbatch').set('authorization', `Bearer ${token}`).send(reversible).expect(200);
    const reversePath = `/admin/members/${code}/batches/${reversible.cipsBatchDetail.batchId}/reverse`;
    await request(url).post(reversePath).set(admin()).send({ reason: 'debit returned by the bank' }).expect(200);
    expect((await request(url).post(reversePath).set(admin()).send({ reason: 'again' }).expect(404)).body.error.code).toBe('E004');
    const reversed = await request(url).get('/api/debit-cap/details').set('authorization', `Bearer ${token}`).expect(200);
    expect(reversed.body.responseData[0].clrBalAmount).toBe(48800);
    const report = await request(url).post('/api/getcipstxnlistbybatchid').set('authorization', `Bearer ${token}`).send({ batchId: reversible.cipsBatchDetail.batchId }).expect(200);
    expect(report.body).toEqual([expect.objectContaining({ creditStatus: 'RJCT', reasonCode: 'RVSD', reversalStatus: '000' })]);

    const accounts = await request(url).get('/api/bank-account/details').set('authorization', `Bearer ${token}`).expect(200);
    expect(accounts.body.data).toEqual([
      expect.objectContaining({ entryId: entry.body.id, bankId: '2501', branchId: '1', accountId: '00**********8901', accountName: 'Demo Wallet Pool', bankName: 'Himalayan Bank Limited', status: 'ACCEPTED' }),
    ]);

    await request(url).post(`/admin/whitelist/${entry.body.id}/suspend`).set(admin()).send({ suspendedBy: 'ops-2' }).expect(200);
    const listed = await request(url).get(`/admin/members/${code}/whitelist`).set(admin()).expect(200);
    expect(listed.body[0]).toMatchObject({ status: 'SUSPENDED', suspendedBy: 'ops-2' });
    const refused = await request(url).post('/api/postcipsbatch').set('authorization', `Bearer ${token}`).send(realTimeBody(member, { amount: 10 })).expect(400);
    expect(refused.body.responseCode).toBe('E007');
    expect((await request(url).get('/api/bank-account/details').set('authorization', `Bearer ${token}`).expect(200)).body.data).toEqual([]);
  }, 60_000);

  it('serves bank and branch lists, validates accounts with a name match percentage, and publishes NPI\'s certificate', async () => {
    const member = await (async () => {
      const clientId = `client-${randomBytes(3).toString('hex')}`;
      await announceClient(payment.service, clientId, ['127.0.0.1/32', '::1/128']);
      return { clientId, token: await issuer.issue({ clientId, username: 'nobody@999' }) };
    })();
    const auth = { authorization: `Bearer ${member.token}` };
    const banks = await eventually(async () => (await request(payment.service.url).get('/api/getcipsbanklist').set(auth).expect(200)).body);
    expect(banks).toEqual(expect.arrayContaining([{ bankId: '2501', bankName: 'Himalayan Bank Limited' }]));
    const branches = await request(payment.service.url).get('/api/getbranchlist/4501').set(auth).expect(200);
    expect(branches.body).toEqual(expect.arrayContaining([expect.objectContaining({ branchId: '23' })]));
    expect((await request(payment.service.url).get('/api/getbranchlist/0000').set(auth).expect(400)).body.responseCode).toBe('E004');

    await request(payment.service.url).post('/admin/accounts').set(admin()).send({ bankId: '0401', branchId: '81', accountId: '08110017501011', accountName: 'MANISHA DHAUBANJAR' }).expect(201);
    const exact = await request(payment.service.url).post('/api/validatebankaccount').set(auth).send({ bankId: '0401', accountId: '08110017501011', accountName: 'Manisha Dhaubanjar' }).expect(200);
    expect(exact.body).toMatchObject({ responseCode: '000', matchPercentate: 100, matchPercentage: 100, branchId: '81', accountId: '08********1011' });
    const wrong = await request(payment.service.url).post('/api/validatebankaccount').set(auth).send({ bankId: '0401', accountId: '08110017501011', accountName: 'Ram Thapa' }).expect(200);
    expect(wrong.body.responseCode).toBe('523');
    const missing = await request(payment.service.url).post('/api/validatebankaccount').set(auth).send({ bankId: '0401', accountId: '1', accountName: 'X' }).expect(400);
    expect(missing.body.responseCode).toBe('E004');
    // Detail APIs for a user with no member: E007 not authorized, HTTP 400 in NCHL's technical format.
    const notMember = await request(payment.service.url).get('/api/debit-cap/details').set(auth).expect(400);
    expect(notMember.body).toEqual({ responseCode: 'E007', responseDescription: 'not authorized: no active NPI member for this user', fieldErrors: [] });

    const certificate = await request(payment.service.url).get('/api/npi-certificate').expect(200);
    expect(certificate.body.certificatePem).toBe(payment.npiCertificatePem.replace(/\r\n/g, '\n'));
  }, 60_000);
});
