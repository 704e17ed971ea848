import { describe, expect, it } from 'vitest';
import { asMoney, formatMajor, formatMoney, parseMajor } from '../../../web/src/lib/fields/money';

describe('money typed in major units', () => {
  it('turns what people type into minor units of the currency', () => {
    expect(parseMajor('12.50', 'USD')).toBe(1250);
    expect(parseMajor('12.5', 'USD')).toBe(1250);
    expect(parseMajor('12', 'USD')).toBe(1200);
    expect(parseMajor(' 0.29 ', 'USD')).toBe(29);
    expect(parseMajor('1200', 'JPY')).toBe(1200);
    expect(parseMajor('1.234', 'KWD')).toBe(1234);
  });

  it('never goes through floating point (0.29 × 100 is 28.999…)', () => {
    for (let cents = 0; cents < 1000; cents++) expect(parseMajor(formatMajor(cents, 'USD'), 'USD')).toBe(cents);
  });

  it('reads grouping and a decimal comma', () => {
    expect(parseMajor('1,250.00', 'USD')).toBe(125_000);
    expect(parseMajor('1 250', 'EUR')).toBe(125_000);
    expect(parseMajor('1,250', 'USD')).toBe(125_000);
    expect(parseMajor('12,50', 'EUR')).toBe(1250);
    expect(parseMajor('12,5', 'EUR')).toBe(1250);
  });

  it('refuses what is not an amount, or more decimals than the currency has', () => {
    expect(parseMajor('', 'USD')).toBeNull();
    expect(parseMajor('abc', 'USD')).toBeNull();
    expect(parseMajor('-3', 'USD')).toBeNull();
    expect(parseMajor('1.234', 'USD')).toBeNull();
    expect(parseMajor('12.5', 'JPY')).toBeNull();
    expect(parseMajor('1e3', 'USD')).toBeNull();
    expect(parseMajor('99999999999999999999', 'USD')).toBeNull();
  });

  it('starts the editor from the amount as it would be typed', () => {
    expect(formatMajor(1250, 'USD')).toBe('12.50');
    expect(formatMajor(5, 'USD')).toBe('0.05');
    expect(formatMajor(0, 'EUR')).toBe('0.00');
    expect(formatMajor(1200, 'JPY')).toBe('1200');
    expect(formatMajor(1234, 'KWD')).toBe('1.234');
  });

  it('shows an amount in its currency', () => {
    const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(12.5);
    expect(formatMoney(1250, 'USD')).toBe(usd);
    const jpy = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'JPY' }).format(1200);
    expect(formatMoney(1200, 'JPY')).toBe(jpy);
  });

  it('reads a money value defensively', () => {
    expect(asMoney({ amount: 1250, currency: 'USD' })).toEqual({ amount: 1250, currency: 'USD' });
    expect(asMoney({ amount: 12.5, currency: 'USD' })).toBeNull();
    expect(asMoney(1250)).toBeNull();
    expect(asMoney(null)).toBeNull();
  });
});
