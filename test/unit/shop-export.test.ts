import { describe, expect, it } from 'vitest';
import { parseMajorAmount } from '../../functions/domain/commerce';
import { orderStatusOf, parseShopDate } from '../../functions/domain/shop-export';

describe('parseMajorAmount', () => {
  it.each([
    ['12.50', 'USD', 1250],
    ['1,299.00', 'USD', 129900],
    ['1,299', 'USD', 129900],
    ['12,50', 'EUR', 1250],
    ['1 299,50', 'EUR', 129950],
    ['1.299,50', 'EUR', 129950],
    ['$12', 'USD', 1200],
    ['USD 0.5', 'USD', 50],
    ['.5', 'USD', 50],
    ['1299', 'JPY', 1299],
    ['1,299', 'JPY', 1299],
    ['1.234', 'KWD', 1234],
  ])('reads %s %s as %i minor units', (text, currency, units) => {
    expect(parseMajorAmount(text, currency)).toBe(units);
  });

  it.each([['12.505', 'USD'], ['12.5', 'JPY'], ['-3.00', 'USD'], ['abc', 'USD'], ['', 'USD'], ['12,34,5', 'USD'], ['1e5', 'USD']])('refuses %s %s', (text, currency) => {
    expect(parseMajorAmount(text, currency)).toBeNull();
  });
});

describe('orderStatusOf', () => {
  it.each([
    ['paid', 'paid'],
    ['partially_refunded', 'paid'],
    ['Completed', 'paid'],
    ['wc-processing', 'paid'],
    ['on-hold', 'pending'],
    ['authorized', 'pending'],
    ['refunded', 'refunded'],
    ['voided', 'cancelled'],
    ['Canceled', 'cancelled'],
    ['fulfilled', 'fulfilled'],
  ])('maps %s to %s', (word, status) => {
    expect(orderStatusOf(word)).toBe(status);
  });
  it('knows nothing of other words', () => expect(orderStatusOf('lost in space')).toBeUndefined());
});

describe('parseShopDate', () => {
  it('reads ISO, Shopify and WooCommerce timestamps, UTC when no zone is given', () => {
    expect(parseShopDate('2026-11-30T10:15:00Z')).toBe(Date.UTC(2026, 10, 30, 10, 15));
    expect(parseShopDate('2026-11-30 10:15:00 +0100')).toBe(Date.UTC(2026, 10, 30, 9, 15));
    expect(parseShopDate('2026-11-30 10:15:00 -05:00')).toBe(Date.UTC(2026, 10, 30, 15, 15));
    expect(parseShopDate('2026-11-30 10:15')).toBe(Date.UTC(2026, 10, 30, 10, 15));
    expect(parseShopDate('2026-11-30')).toBe(Date.UTC(2026, 10, 30));
  });
  it('refuses what is not a date', () => {
    expect(parseShopDate('2026-02-30')).toBeNull();
    expect(parseShopDate('30/11/2026')).toBeNull();
    expect(parseShopDate('2026-11-30 25:00')).toBeNull();
  });
});

describe('formatMinor', () => {
  it('writes minor units as major ones that parseMajorAmount reads back', async () => {
    const { formatMinor } = await import('../../functions/domain/commerce');
    expect([formatMinor(129900, 'USD'), formatMinor(5, 'EUR'), formatMinor(1200, 'JPY'), formatMinor(1234, 'KWD')]).toEqual(['1299.00', '0.05', '1200', '1.234']);
    for (const [units, currency] of [[129900, 'USD'], [5, 'EUR'], [1200, 'JPY'], [1234, 'KWD']] as const) {
      expect(parseMajorAmount(formatMinor(units, currency), currency)).toBe(units);
    }
  });
});
