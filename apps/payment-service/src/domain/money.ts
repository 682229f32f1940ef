import { canonicalAmount } from '@npi/signature-token';

/**
 * Exact money arithmetic in paisa (hundredths of a rupee) as bigint: never floats. Amounts enter
 * through `amountToPaisa` of @npi/signature-token, the same canonical form the signature token
 * string uses, so what is signed is what is debited.
 */
export function fromPaisa(value: bigint): string {
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  return `${negative ? '-' : ''}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

/** `canonicalAmount` of @npi/signature-token: `100`, `100.0`, `"100.00"` are all `"100.00"`. */
export function canonical(value: unknown, field: string): string {
  return canonicalAmount(value, field);
}
