import { canonical, fromPaisa, toPaisa } from './money';

describe('money', () => {
  it.each([
    ['0.01', 1n],
    ['100.00', 10_000n],
    ['99999999999999.99', 9_999_999_999_999_999n],
  ])('%s is %p paisa and back', (text, paisa) => {
    expect(toPaisa(text)).toBe(paisa);
    expect(fromPaisa(paisa)).toBe(text);
  });

  it('sums without floating-point error (0.10 + 0.20 = 0.30)', () => {
    expect(fromPaisa(toPaisa(canonical(0.1, 'a')) + toPaisa(canonical(0.2, 'b')))).toBe('0.30');
  });

  it('refuses amounts with more than two significant fraction digits', () => {
    expect(() => canonical('1.005', 'amount')).toThrow(expect.objectContaining({ code: 'ERR_AMOUNT_INVALID' }));
  });
});
