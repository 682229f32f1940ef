import { canonicalAmount } from '@npi/signature-token';

// Exact money arithmetic is in paisa (hundredths of a rupee) as bigint, never floats: amounts enter
// through `amountToPaisa` and leave through `paisaToAmount` of @npi/signature-token, the same
// canonical form the signature token string uses, so what is signed is what is debited.

/** `canonicalAmount` of @npi/signature-token: `100`, `100.0`, `"100.00"` are all `"100.00"`. */
export function canonical(value: unknown, field: string): string {
  return canonicalAmount(value, field);
}
