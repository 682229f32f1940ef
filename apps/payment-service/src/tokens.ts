/**
 * payment-service's injection tokens (repository tokens live with their interfaces in
 * `@npi/payment/data-access`).
 */

/** NPI's own signer (`NpiResponseSigner`): answer signatures and refusal tokens. */
export const NPI_SIGNER = Symbol.for('npi.payment.NpiSigner');
/** Verifies a member's NCHL token string against its certificates (`Verifier` of `@npi/signature-token`). */
export const MEMBER_TOKEN_VERIFIER = Symbol.for('npi.payment.MemberTokenVerifier');
/** The settlement time zone and cut-offs (`SettlementCalendar`). */
export const SETTLEMENT_CALENDAR = Symbol.for('npi.payment.SettlementCalendar');
/** The app whose charge slabs price fund transfers (PAYMENT_FUND_TRANSFER_APP_ID). */
export const FUND_TRANSFER_APP_ID = Symbol.for('npi.payment.FundTransferAppId');
