import { amountToPaisa, paisaToAmount } from '@npi/signature-token';

/** The fields of a charge slab this rule reads (decimal text). */
export interface Slab {
  maxAmount: string;
  minChargeAmount: string;
  maxChargeAmount: string;
  percent: string;
}

/**
 * NCHL's charge slabs (`getcipschargelist`): the first slab, by ascending `maxAmount`, that covers
 * the amount applies (an amount above every slab takes the last); the charge is `percent` of the
 * amount, rounded half up to the paisa, kept between `minChargeAmount` and `maxChargeAmount`. No
 * slabs: no charge.
 */
export function chargeFor(slabs: readonly Slab[], amount: string): string {
  if (slabs.length === 0) return '0.00';
  const value = amountToPaisa(amount);
  const sorted = [...slabs].sort((a, b) => (amountToPaisa(a.maxAmount) < amountToPaisa(b.maxAmount) ? -1 : 1));
  const slab = sorted.find((s) => value <= amountToPaisa(s.maxAmount)) ?? sorted[sorted.length - 1];
  const [whole, fraction = ''] = slab.percent.split('.');
  const percentScaled = BigInt(whole) * 10_000n + BigInt(`${fraction}0000`.slice(0, 4));
  // paisa × percent/100, percent carried with 4 fraction digits: divide by 100 × 10^4, half up.
  const divisor = 1_000_000n;
  let charge = (value * percentScaled + divisor / 2n) / divisor;
  const min = amountToPaisa(slab.minChargeAmount);
  const max = amountToPaisa(slab.maxChargeAmount);
  if (charge < min) charge = min;
  if (charge > max) charge = max;
  return paisaToAmount(charge);
}
