/**
 * NCHL real-time batch bodies (`POST /api/postcipsbatch`: one `cipsBatchDetail`, one transaction),
 * written from NCHL's reference alone, with the signed token string NCHL defines:
 * batchId,debtorAgent,debtorBranch,debtorAccount,batchAmount,batchCrncy,instructionId,creditorAgent,
 * creditorBranch,creditorAccount,amount,userId (amounts with two decimals).
 */
import { randomBytes } from 'node:crypto';

export interface RealTimeBatchSetup {
  /** Signs with the member's key (`SHA256withRSA`, base64); without it the body has no `token`. */
  sign?: (tokenString: string) => string;
  /** NCHL's userId (the OAuth username) that ends the token string. */
  userId: string;
  debtorAccount: string;
  /** Default: `B<random hex>`; the instruction is `<batchId>-1`. */
  batchId?: string;
  /** Batch and transaction amount. Default 1500. */
  amount?: number;
  debtorAgent?: string;
  debtorBranch?: string;
  debtorName?: string;
  endToEndId?: string;
  /** Default `PAYM`; `null` leaves the field out (it is optional on the wire). */
  purpose?: string | null;
  creditorAgent?: string;
  creditorBranch?: string;
  creditorName?: string;
  creditorAccount?: string;
}

export interface RealTimeBatchBody {
  cipsBatchDetail: { batchId: string; batchAmount: number; batchCount: number; batchCrncy: string; categoryPurpose: string; debtorAgent: string; debtorBranch: string; debtorName: string; debtorAccount: string };
  cipsTransactionDetailList: { instructionId: string; endToEndId: string; amount: number; purpose?: string; creditorAgent: string; creditorBranch: string; creditorName: string; creditorAccount: string }[];
  token?: string;
}

const two = (amount: number) => amount.toFixed(2);

/** The token string NCHL signs for a real-time batch. */
export function realTimeTokenString(body: Pick<RealTimeBatchBody, 'cipsBatchDetail' | 'cipsTransactionDetailList'>, userId: string): string {
  const batch = body.cipsBatchDetail;
  const transaction = body.cipsTransactionDetailList[0];
  return [batch.batchId, batch.debtorAgent, batch.debtorBranch, batch.debtorAccount, two(batch.batchAmount), batch.batchCrncy,
    transaction.instructionId, transaction.creditorAgent, transaction.creditorBranch, transaction.creditorAccount, two(transaction.amount), userId].join(',');
}

/**
 * Defaults: NPR, ECPG, debtor at bank 2501 branch 1 (`Demo Wallet`), creditor `Ram Bahadur` at
 * 4501 branch 23 account 001011160000374, end-to-end id `Payment`, purpose `PAYM`.
 */
export function nchlRealTimeBatch(setup: RealTimeBatchSetup): RealTimeBatchBody {
  const batchId = setup.batchId ?? `B${randomBytes(6).toString('hex')}`;
  const amount = setup.amount ?? 1500;
  const purpose = setup.purpose === undefined ? 'PAYM' : setup.purpose;
  const body: RealTimeBatchBody = {
    cipsBatchDetail: {
      batchId, batchAmount: amount, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG',
      debtorAgent: setup.debtorAgent ?? '2501', debtorBranch: setup.debtorBranch ?? '1', debtorName: setup.debtorName ?? 'Demo Wallet', debtorAccount: setup.debtorAccount,
    },
    cipsTransactionDetailList: [{
      instructionId: `${batchId}-1`, endToEndId: setup.endToEndId ?? 'Payment', amount, ...(purpose === null ? {} : { purpose }),
      creditorAgent: setup.creditorAgent ?? '4501', creditorBranch: setup.creditorBranch ?? '23', creditorName: setup.creditorName ?? 'Ram Bahadur', creditorAccount: setup.creditorAccount ?? '001011160000374',
    }],
  };
  return setup.sign ? { ...body, token: setup.sign(realTimeTokenString(body, setup.userId)) } : body;
}
