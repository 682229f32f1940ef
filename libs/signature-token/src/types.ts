/**
 * The parts of NCHL's request and response bodies that go into token strings, under NCHL's own
 * JSON field names (docs/npi-reference.md "Transaction APIs"). Bodies may carry every other NCHL field
 * (debtorName, endToEndId, addenda1, ...): the builders ignore them. Values are checked at run
 * time as well, since they come from members' JSON.
 */
import type { Amount } from './amount';

/** Batch fields shared by `cipsBatchDetail` and `nchlIpsBatchDetail`. */
export interface BatchDetail {
  batchId: string;
  debtorAgent: string;
  debtorBranch: string;
  debtorAccount: string;
  batchAmount: Amount;
  batchCrncy: string;
  /** Signed only in the non-real-time string. */
  categoryPurpose?: string;
}

/** One credit transfer (`cipsTransactionDetailList[i]`, `nchlIpsTransactionDetailList[i]`). */
export interface TransactionDetail {
  instructionId: string;
  creditorAgent: string;
  creditorBranch: string;
  creditorAccount: string;
  amount: Amount;
}

/** `POST /api/postcipsbatch` (real time: exactly one transaction). */
export interface RealTimeRequest {
  cipsBatchDetail: BatchDetail;
  cipsTransactionDetailList: readonly TransactionDetail[];
}

/** `POST /api/postnchlipsbatch` (non-real time: 1 to 10,000 transactions). */
export interface NonRealTimeRequest {
  nchlIpsBatchDetail: BatchDetail & { categoryPurpose: string };
  nchlIpsTransactionDetailList: readonly TransactionDetail[];
}

/** The bill being paid, as the npiObject carries it. */
export interface BillersTransactionDetail {
  /** NPI Billers' id of the lodged bill; NCHL's JSON has it as a number or a string. */
  id: string | number;
  instructionId: string;
  endToEndId: string;
  appId: string;
  refId: string;
  amount: Amount;
}

/** `POST /api/npibiller/confirmbillerpay.do`. */
export interface BillersConfirmRequest {
  cipsBatchDetail: BatchDetail;
  cipsTransactionDetail: BillersTransactionDetail;
}

/** The answer's batch part (`cipsBatchResponse`). */
export interface BatchResponse {
  batchId: string;
  responseCode: string;
  /** Absent or null when the batch was refused before the debit leg: signed as an empty field. */
  debitStatus?: string | null;
}

/** One entry of `cipsTxnResponseList`. */
export interface TransactionResponse {
  instructionId: string;
  responseCode: string;
  /** Absent or null before the credit leg: signed as an empty field. */
  creditStatus?: string | null;
}

/** NPI's answer to a transaction API, as signed by NPI (docs/npi-reference.md, decided). */
export interface TransactionResponseBody {
  cipsBatchResponse: BatchResponse;
  /** Absent, null or empty when no transaction was processed. */
  cipsTxnResponseList?: readonly TransactionResponse[] | null;
}
