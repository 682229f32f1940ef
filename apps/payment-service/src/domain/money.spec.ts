import { amountToPaisa, paisaToAmount } from '@npi/signature-token';
import { canonical } from './money';

describe('money', () => {
  it.each([
    ['0.01', 1n],
    ['100.00', 10_000n],
    ['99999999999999.99', 9_999_999_999_999_999n],
    ['-0.05', -5n],
    ['-1.50', -150n],
  ])('%s is %p paisa', (text, paisa) => {
    expect(paisaToAmount(paisa)).toBe(text);
  });

  it('sums without floating-point error (0.10 + 0.20 = 0.30)', () => {
    expect(paisaToAmount(amountToPaisa(canonical(0.1, 'a')) + amountToPaisa(canonical(0.2, 'b')))).toBe('0.30');
  });

  it('refuses amounts with more than two significant fraction digits', () => {
    expect(() => canonical('1.005', 'amount')).toThrow(expect.objectContaining({ code: 'ERR_AMOUNT_INVALID' }));
  });
});
