/**
 * The sample answers of NCHL's published NPI documentation (API specification sections 5.3-5.6,
 * the Billers confirm-bill-pay guide), copied verbatim except where the published text is not valid
 * JSON (`bank-account-details`: two missing commas). They are the examples of the OpenAPI document
 * and the golden shapes the tests compare real answers with. `technical-error` is NCHL's technical
 * response format filled with E007 (the document gives the format, not a filled sample).
 */
import bankAccountDetails from './bank-account-details.json';
import confirmbillerpay from './confirmbillerpay.json';
import debitCapDetails from './debit-cap-details.json';
import getacvalidationenabledbanklist from './getacvalidationenabledbanklist.json';
import getbanklist from './getbanklist.json';
import getbranchlistBankId from './getbranchlist-bankId.json';
import getbranchlist from './getbranchlist.json';
import getcipsbanklist from './getcipsbanklist.json';
import getcipsbranchlist from './getcipsbranchlist.json';
import getcipschargelist from './getcipschargelist.json';
import getcipstxnbyinstructionid from './getcipstxnbyinstructionid.json';
import getnchlipstxnlistbyinstructionid from './getnchlipstxnlistbyinstructionid.json';
import getreversalenabledbanklist from './getreversalenabledbanklist.json';
import postcipsbatch from './postcipsbatch.json';
import postnchlipsbatch from './postnchlipsbatch.json';
import technicalError from './technical-error.json';
import tpAutoReleaseDetails from './tp-auto-release-details.json';
import validatebankaccount from './validatebankaccount.json';

export const NCHL_SAMPLES = {
  bankAccountDetails,
  confirmbillerpay,
  debitCapDetails,
  getacvalidationenabledbanklist,
  getbanklist,
  getbranchlistBankId,
  getbranchlist,
  getcipsbanklist,
  getcipsbranchlist,
  getcipschargelist,
  getcipstxnbyinstructionid,
  getnchlipstxnlistbyinstructionid,
  getreversalenabledbanklist,
  postcipsbatch,
  postnchlipsbatch,
  technicalError,
  tpAutoReleaseDetails,
  validatebankaccount,
} as const;
