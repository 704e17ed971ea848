import { describe, expect, it } from 'vitest';
import { addMonths, convertMinor, defaultPeriod, fmOf, monthOf, monthsOf, monthStartMs, segmentOfCell } from '../../functions/domain/dashboards';

describe('periods of calendar months', () => {
  it('counts months across years and lists each one', () => {
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthsOf({ from: '2025-11', to: '2026-02' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('defaults to the twelve months ending with the current one (UTC)', () => {
    expect(defaultPeriod(Date.UTC(2026, 10, 23))).toEqual({ from: '2025-12', to: '2026-11' });
    expect(monthOf(Date.UTC(2026, 0, 1) - 1)).toBe('2025-12');
    expect(monthStartMs('2026-03')).toBe(Date.UTC(2026, 2, 1));
  });
});

describe('the RFM grid', () => {
  it('folds F and M into FM = (F + M + 1) div 2', () => {
    expect([fmOf(1, 1), fmOf(1, 2), fmOf(2, 2), fmOf(5, 4), fmOf(5, 5)]).toEqual([1, 2, 2, 5, 5]);
  });

  it('names the corners and the middle as the standard map does', () => {
    expect(segmentOfCell(5, 5)).toBe('champions');
    expect(segmentOfCell(1, 5)).toBe('cant_lose');
    expect(segmentOfCell(1, 1)).toBe('lost');
    expect(segmentOfCell(5, 1)).toBe('new_customers');
    expect(segmentOfCell(3, 3)).toBe('need_attention');
    expect(segmentOfCell(4, 1)).toBe('promising');
    expect(segmentOfCell(2, 4)).toBe('at_risk');
  });
});

describe('convertMinor', () => {
  it('converts through major units, so currencies with other minor digits convert right', () => {
    expect(convertMinor(2000, 'EUR', 'USD', 1.1)).toBe(2200);
    expect(convertMinor(1000, 'JPY', 'USD', 0.0067)).toBe(670);
    expect(convertMinor(500, 'USD', 'USD', undefined)).toBe(500);
    expect(convertMinor(500, 'GBP', 'USD', undefined)).toBeNull();
  });
});
