/**
 * The NCHL directory is data: the operator maintains banks (list flags, branches), charge slabs and
 * auto-release limits through the admin API; NCHL's list APIs answer from it at once, and every
 * change is published as `payments.directory.changed.v1` over Kafka.
 */
import { randomInt, randomUUID } from 'node:crypto';
import request from 'supertest';
import { PaymentsDirectoryChangedV1 } from '@npi/kafka-contracts';
import type { EventEnvelope } from '@npi/kafka-contracts';
import { recordEvents } from '@npi/messaging';
import { eventually } from '@npi/testing';
import { announceClient, startLocalIssuer, startPaymentService } from '../support/payment-harness';
import type { LocalIssuer, PaymentUnderTest } from '../support/payment-harness';

jest.setTimeout(60_000);

type DirectoryChanged = EventEnvelope<ReturnType<typeof PaymentsDirectoryChangedV1.schema.parse>>;

describe('the directory, maintained through the admin API', () => {
  let issuer: LocalIssuer;
  let payment: PaymentUnderTest;
  let token: string;
  let events: DirectoryChanged[] = [];
  const subscriptions: { close(): Promise<void> }[] = [];
  // An id no other test uses (the database is shared by the run).
  const bankId = String(7000 + randomInt(999));
  const appId = `MER-${randomUUID().slice(0, 6)}-APP-1`;

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    payment = await startPaymentService({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl });
    const clientId = `client-${randomUUID().slice(0, 8)}`;
    await announceClient(payment.service, clientId, ['127.0.0.1/32', '::1/128']);
    token = await issuer.issue({ clientId, username: 'lists@999' });
    const recorded = await recordEvents(payment.service.deps.broker, PaymentsDirectoryChangedV1);
    events = recorded.events;
    subscriptions.push(recorded);
    await eventually(async () => expect((await request(payment.service.url).get('/api/getbanklist').set('authorization', `Bearer ${token}`)).status).toBe(200));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.close()));
    await payment?.service.stop();
    await issuer?.close();
  }, 30_000);

  const admin = () => ({ authorization: `Bearer ${payment.adminToken}` });
  const api = (path: string) => request(payment.service.url).get(path).set('authorization', `Bearer ${token}`);

  it('adds a bank with its flags and branches, serves it in the right lists, publishes the change, and removes it', async () => {
    const bank = { bankName: 'Excel Development Bank Ltd.', cips: false, ips: true, accountValidation: true, autoReversal: false, branches: [{ branchId: '1', branchName: 'Birtamod' }, { branchId: '7', branchName: 'Damak' }] };
    const saved = await request(payment.service.url).put(`/admin/directory/banks/${bankId}`).set(admin()).send(bank).expect(200);
    expect(saved.body).toEqual({ bankId, bankName: bank.bankName, cipsEnabled: false, ipsEnabled: true, accountValidationEnabled: true, autoReversalEnabled: false, branches: bank.branches });

    expect((await api('/api/getbanklist').expect(200)).body).toContainEqual({ bankId, bankName: bank.bankName });
    expect((await api('/api/getcipsbanklist').expect(200)).body.map((b: { bankId: string }) => b.bankId)).not.toContain(bankId);
    expect((await api('/api/getacvalidationenabledbanklist').expect(200)).body).toContainEqual({ bankId, bankName: bank.bankName });
    expect((await api(`/api/getbranchlist/${bankId}`).expect(200)).body).toEqual([
      { branchId: '1', bankId, branchName: 'Birtamod' },
      { branchId: '7', bankId, branchName: 'Damak' },
    ]);
    expect((await api('/api/getcipsbranchlist').expect(200)).body.some((b: { bankId: string }) => b.bankId === bankId)).toBe(false);

    // The branch list is replaced whole.
    await request(payment.service.url).put(`/admin/directory/banks/${bankId}`).set(admin()).send({ ...bank, branches: [{ branchId: '7', branchName: 'Damak Bazaar' }] }).expect(200);
    expect((await api(`/api/getbranchlist/${bankId}`).expect(200)).body).toEqual([{ branchId: '7', bankId, branchName: 'Damak Bazaar' }]);

    const published = await eventually(() => {
      const found = events.filter((e) => e.data.banks.some((b) => b.bankId === bankId));
      expect(found).toHaveLength(2);
      return found;
    }, { timeoutMs: 30_000 });
    expect(published[1].data.banks[0]).toEqual({ bankId, bankName: bank.bankName, cipsEnabled: false, ipsEnabled: true, accountValidationEnabled: true, autoReversalEnabled: false, branches: [{ branchId: '7', branchName: 'Damak Bazaar' }] });
    expect(published[1].data.changedBy).toBe('admin-api');

    await request(payment.service.url).delete(`/admin/directory/banks/${bankId}`).set(admin()).expect(204);
    expect((await api(`/api/getbranchlist/${bankId}`).expect(400)).body.responseCode).toBe('E004');
    await eventually(() => expect(events.some((e) => e.data.removedBankIds.includes(bankId))).toBe(true), { timeoutMs: 30_000 });
  });

  it('replaces an app\'s charge slabs and a bank\'s auto-release limits', async () => {
    const slabs = [
      { scheme: 'P2G', currency: 'NPR', maxAmt: 1000, minChargeAmt: 1, maxChargeAmt: 1, percent: 0 },
      { scheme: 'P2G', currency: 'NPR', maxAmt: '200000000.00', minChargeAmt: 2, maxChargeAmt: 50, percent: '0.25' },
    ];
    await request(payment.service.url).put(`/admin/directory/charge-slabs/${appId}`).set(admin()).send({ slabs }).expect(200);
    expect((await api(`/api/getcipschargelist/${appId}`).expect(200)).body).toEqual([
      { scheme: 'P2G', currency: 'NPR', maxAmt: 1000, minChargeAmt: 1, maxChargeAmt: 1, percent: 0 },
      { scheme: 'P2G', currency: 'NPR', maxAmt: 200000000, minChargeAmt: 2, maxChargeAmt: 50, percent: 0.25 },
    ]);
    expect((await api('/api/getcipschargelist/MER-NOBODY-APP-1').expect(200)).body).toEqual([]);
    await eventually(() => expect(events.find((e) => e.data.chargeSlabs.some((c) => c.appId === appId))?.data.chargeSlabs[0].slabs[1]).toEqual({ scheme: 'P2G', currency: 'NPR', maxAmt: '200000000.00', minChargeAmt: '2.00', maxChargeAmt: '50.00', percent: '0.25' }), { timeoutMs: 30_000 });

    await request(payment.service.url).put('/admin/directory/auto-release/4501').set(admin()).send({ limits: [{ categoryPurpose: 'GOVT', maxAutoReleaseAmount: 500000000, status: 'Approved' }] }).expect(200);
    const release = await request(payment.service.url).post('/api/tp/auto-release/details').set('authorization', `Bearer ${token}`).send({ bankCode: '4501' }).expect(200);
    expect(release.body).toEqual({ data: [{ categoryPurpose: 'GOVT', bankCode: '4501', maxAutoReleaseAmount: '500,000,000.00', currency: 'NPR', bankName: 'Global IME Bank Limited', status: 'Approved' }], message: 'Success', status: true });
  });

  it('refuses bad directory input with E007 and changes nothing; the admin token is required', async () => {
    const bad = await request(payment.service.url).put('/admin/directory/charge-slabs/MER-1-APP-3').set(admin()).send({ slabs: [{ scheme: 'P2P', maxAmt: 500, minChargeAmt: 5, maxChargeAmt: 2, percent: 0 }] }).expect(400);
    expect(bad.body.error.code).toBe('E007');
    expect((await api('/api/getcipschargelist/MER-1-APP-3').expect(200)).body[0]).toMatchObject({ maxAmt: 500, minChargeAmt: 2 });
    expect((await request(payment.service.url).put('/admin/directory/banks/x..y').set(admin()).send({ bankName: 'x' }).expect(400)).body.error.code).toBe('E007');
    await request(payment.service.url).put('/admin/directory/banks/%00').set(admin()).send({ bankName: 'x' }).expect(400);
    expect((await request(payment.service.url).put('/admin/directory').set(admin()).send({ banks: [{ bankId: '1', bankName: 'x', branches: [{ branchId: '1', branchName: 'a' }, { branchId: '1', branchName: 'b' }] }] }).expect(400)).body.error.code).toBe('E007');
    await request(payment.service.url).put('/admin/directory').send({}).expect(401);
  });
});
