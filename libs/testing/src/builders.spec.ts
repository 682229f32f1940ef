import { billersHostParticipant } from './billers-participant';
import { nchlRealTimeBatch, realTimeTokenString } from './nchl-batch';

describe('test-data builders', () => {
  it("nchlRealTimeBatch signs NCHL's real-time token string, amounts with two decimals", () => {
    const signed: string[] = [];
    const body = nchlRealTimeBatch({ batchId: 'B1', amount: 200.5, debtorAccount: '0010055573200018', userId: 'KHALTI@999', sign: (tokenString) => (signed.push(tokenString), 'sig') });
    expect(signed).toEqual(['B1,2501,1,0010055573200018,200.50,NPR,B1-1,4501,23,001011160000374,200.50,KHALTI@999']);
    expect(body.token).toBe('sig');
    expect(body.cipsBatchDetail).toEqual({ batchId: 'B1', batchAmount: 200.5, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Demo Wallet', debtorAccount: '0010055573200018' });
    expect(body.cipsTransactionDetailList).toEqual([{ instructionId: 'B1-1', endToEndId: 'Payment', amount: 200.5, purpose: 'PAYM', creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram Bahadur', creditorAccount: '001011160000374' }]);
  });

  it('nchlRealTimeBatch takes overrides, leaves purpose out on null and the token out without a signer', () => {
    const body = nchlRealTimeBatch({ debtorAccount: 'A', userId: 'U', debtorAgent: '0401', debtorBranch: '81', creditorAccount: 'C', purpose: null });
    expect(body).not.toHaveProperty('token');
    expect(body.cipsBatchDetail.batchId).toMatch(/^B[0-9a-f]{12}$/);
    expect(body.cipsTransactionDetailList[0]).not.toHaveProperty('purpose');
    expect(realTimeTokenString(body, 'U')).toBe(`${body.cipsBatchDetail.batchId},0401,81,A,1500.00,NPR,${body.cipsBatchDetail.batchId}-1,4501,23,C,1500.00,U`);
    expect(nchlRealTimeBatch({ debtorAccount: 'A', userId: 'U' }).cipsBatchDetail.batchId).not.toBe(body.cipsBatchDetail.batchId);
  });

  it('billersHostParticipant has one SIG and one ENC key named after its code', () => {
    const participant = billersHostParticipant({ code: 'hbl', status: 'SUSPENDED', signingPublicKeyPem: 'S', encryptionPublicKeyPem: 'E' });
    expect(participant).toMatchObject({ code: 'hbl', status: 'SUSPENDED', allowedAlgorithms: ['PS256'], channels: ['web', 'mob'] });
    expect(participant.keys).toEqual([
      { kid: 'hbl-sig', use: 'SIG', publicKeyPem: 'S', createdAt: new Date(0) },
      { kid: 'hbl-enc', use: 'ENC', publicKeyPem: 'E', createdAt: new Date(0) },
    ]);
  });
});
