/**
 * 500 concurrent signed real-time payments through HTTP at a debit cap that
 * allows exactly N of them, spread over two payment-service instances sharing one PostgreSQL:
 * exactly N succeed, the rest are refused (E007, cap exceeded), and the recorded total equals the
 * cap. (libs/payment/data-access/src/debit-cap.race.int-spec.ts proves the same below HTTP.)
 */
import request from 'supertest';
import { BATCH_REPOSITORY, DEBIT_CAP_REPOSITORY } from '@npi/payment/data-access';
import type { BatchRepository, DebitCapRepository } from '@npi/payment/data-access';
import { eventually } from '@npi/testing';
import { announceClient, realTimeBody, registerMember, startLocalIssuer, startPaymentService } from '../support/payment-harness';
import type { LocalIssuer, PaymentUnderTest } from '../support/payment-harness';
import { settlementSessionAt } from '../../src/domain/settlement-session';

const REQUESTS = 500;
const ALLOWED = 173;
const AMOUNT = 25;

describe('debit cap under 500 concurrent payments on two service instances', () => {
  let issuer: LocalIssuer;
  let instances: PaymentUnderTest[];

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    instances = [await startPaymentService(issuer), await startPaymentService(issuer)];
  }, 120_000);
  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.service.stop()));
    await issuer?.close();
  }, 60_000);

  it(`accepts exactly ${ALLOWED} of ${REQUESTS} and never records more than the cap`, async () => {
    const [first, second] = instances;
    const member = await registerMember(first.service, { cap: `${ALLOWED * AMOUNT}.00` });
    await announceClient(first.service, member.clientId, ['127.0.0.1/32', '::1/128']);
    const token = await issuer.issue({ clientId: member.clientId, username: member.username });
    for (const instance of instances) {
      await eventually(async () => {
        const answer = await request(instance.service.url).post('/api/postcipsbatch').set('authorization', `Bearer ${token}`).send({});
        expect(answer.body.responseCode).toBe('E007'); // past the guards, refused only for the empty body
      });
    }
    const bodies = Array.from({ length: REQUESTS }, () => realTimeBody(member, { amount: AMOUNT }));
    const answers = await Promise.all(
      bodies.map((body, index) =>
        request(instances[index % 2].service.url).post('/api/postcipsbatch').set('authorization', `Bearer ${token}`).send(body),
      ),
    );
    const accepted = answers.filter((a) => a.status === 200 && a.body.cipsBatchResponse?.responseCode === '000');
    const refused = answers.filter((a) => a.status === 400 && a.body.responseCode === 'E007' && /debit cap exceeded/.test(a.body.responseDescription));
    expect([accepted.length, refused.length]).toEqual([ALLOWED, REQUESTS - ALLOWED]);
    // Both instances took part in accepting.
    const acceptedBy = new Set(answers.map((a, index) => (a.status === 200 ? index % 2 : -1)).filter((i) => i >= 0));
    expect(acceptedBy).toEqual(new Set([0, 1]));

    const cap = await second.service.app.get<DebitCapRepository>(DEBIT_CAP_REPOSITORY).find(member.member.id, '2501');
    const session = settlementSessionAt(new Date(), { timeZone: 'Asia/Kathmandu', cutoffs: [] });
    expect(await second.service.app.get<DebitCapRepository>(DEBIT_CAP_REPOSITORY).used(cap!.id, session)).toBe(`${ALLOWED * AMOUNT}.00`);
    expect(await second.service.app.get<BatchRepository>(BATCH_REPOSITORY).acceptedTotal(cap!.id, session)).toBe(`${ALLOWED * AMOUNT}.00`);

    const details = await request(first.service.url).get('/api/debit-cap/details').set('authorization', `Bearer ${token}`);
    if (details.status === 200) expect(details.body.responseData).toEqual([expect.objectContaining({ debitCap: ALLOWED * AMOUNT, clrBalAmount: 0 })]);
  }, 180_000);
});
