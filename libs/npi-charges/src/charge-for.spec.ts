import { chargeFor } from './charge-for';

const p2p = [
  { maxAmount: '5000.00', minChargeAmount: '5.00', maxChargeAmount: '5.00', percent: '0' },
  { maxAmount: '500.00', minChargeAmount: '2.00', maxChargeAmount: '2.00', percent: '0' },
  { maxAmount: '200000000.00', minChargeAmount: '15.00', maxChargeAmount: '15.00', percent: '0' },
];

describe('chargeFor', () => {
  it("takes the first slab covering the amount (NCHL's fund-transfer slabs)", () => {
    expect(chargeFor(p2p, '500.00')).toBe('2.00');
    expect(chargeFor(p2p, '500.01')).toBe('5.00');
    expect(chargeFor(p2p, '1500.00')).toBe('5.00');
    expect(chargeFor(p2p, '300000000.00')).toBe('15.00');
  });
  it('applies a percent between the minimum and maximum charge, half up', () => {
    const percent = [{ maxAmount: '200000000.00', minChargeAmount: '2.00', maxChargeAmount: '100.00', percent: '0.1' }];
    expect(chargeFor(percent, '1000.00')).toBe('2.00');
    expect(chargeFor(percent, '12345.00')).toBe('12.35');
    expect(chargeFor(percent, '500000.00')).toBe('100.00');
  });
  it('is zero without slabs', () => {
    expect(chargeFor([], '1000.00')).toBe('0.00');
  });
});
