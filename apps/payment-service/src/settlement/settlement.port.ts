/**
 * Settlement is outside this system (issue #6): crediting happens behind this port. The default
 * adapter (`AutoCreditSettlement`) is a Kafka consumer of `payments.batch.accepted.v1` that moves
 * accepted transactions to their final credit status; a real bank connector replaces it by
 * consuming the same event and calling `SettlementService.recordOutcome` with what the bank said.
 */
export interface CreditOutcome {
  instructionId: string;
  creditStatus: 'ACSC' | 'RJCT';
  responseCode: string;
  responseMessage: string;
}

export interface SettlementAdapter {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const SETTLEMENT_ADAPTER = Symbol.for('npi.payment.SettlementAdapter');
