/**
 * Settlement is outside this system: crediting is reported back through
 * `SettlementService.recordOutcome`. The default connector (`AutoCreditSettlementHandler`, an
 * `@EventPattern` handler of `payments.batch.accepted.v1`) credits every accepted transaction; a
 * real bank connector replaces it with its own handler of the same event.
 */
export interface CreditOutcome {
  instructionId: string;
  creditStatus: 'ACSC' | 'RJCT';
  responseCode: string;
  responseMessage: string;
}
