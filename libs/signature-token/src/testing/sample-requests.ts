/**
 * Sample bodies shaped like NCHL's documented examples (npidocs `api_specifications.md`,
 * `confirm_bill_pay.md`), for this lib's specs and benchmark. Each call returns a fresh object
 * that a test may change.
 */
import type { BillersConfirmRequest, NonRealTimeRequest, RealTimeRequest, TransactionResponseBody } from '../types';

export const SAMPLE_USER_ID = 'KHALTI@999';

export function aRealTimeRequest(): RealTimeRequest {
  return {
    cipsBatchDetail: {
      batchId: 'KHA-198706',
      debtorAgent: '2501',
      debtorBranch: '1',
      debtorAccount: '0010055573200018',
      batchAmount: 1500,
      batchCrncy: 'NPR',
      categoryPurpose: 'ECPG',
    },
    cipsTransactionDetailList: [
      {
        instructionId: 'KHA-198706-1',
        creditorAgent: '4501',
        creditorBranch: '23',
        creditorAccount: '001011160000374',
        amount: 1500,
      },
    ],
  };
}

export function aNonRealTimeRequest(transactions = 2): NonRealTimeRequest {
  return {
    nchlIpsBatchDetail: {
      batchId: 'TEST20250803',
      debtorAgent: '2501',
      debtorBranch: '1',
      debtorAccount: '0010055573200018',
      batchAmount: `${transactions * 10}.5`,
      batchCrncy: 'NPR',
      categoryPurpose: 'CUST',
    },
    nchlIpsTransactionDetailList: Array.from({ length: transactions }, (_, index) => ({
      instructionId: `TEST20250803-${index + 1}`,
      creditorAgent: '4501',
      creditorBranch: '23',
      creditorAccount: `0010111600${String(index).padStart(5, '0')}`,
      amount: index === 0 ? 10.5 : 10,
    })),
  };
}

export function aBillersConfirmRequest(): BillersConfirmRequest {
  return {
    cipsBatchDetail: {
      batchId: 'T13-12818780108',
      debtorAgent: '2601',
      debtorBranch: '1',
      debtorAccount: '0010123400000018',
      batchAmount: 1000,
      batchCrncy: 'NPR',
      categoryPurpose: 'GREV',
    },
    cipsTransactionDetail: {
      id: 12816806,
      instructionId: 'T13-12818780108-1',
      endToEndId: 'Traffic Fine Payment',
      appId: 'MER-984-APP-1',
      refId: '187145',
      amount: '1000.0',
    },
  };
}

export function aResponse(): TransactionResponseBody {
  return {
    cipsBatchResponse: { batchId: 'KHA-198706', responseCode: '000', debitStatus: '000' },
    cipsTxnResponseList: [{ instructionId: 'KHA-198706-1', responseCode: '000', creditStatus: 'ACSP' }],
  };
}
