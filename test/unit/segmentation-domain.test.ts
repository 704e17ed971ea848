import { describe, expect, it } from 'vitest';
import { churnRisk, churnWords, medianOf, predictedValue } from '../../functions/domain/customer-value';
import { fmScore, quintile, RFM_GRID, RFM_SEGMENTS, SCORES, segmentOf, SEGMENT_LABELS, tierOf } from '../../functions/domain/rfm';
import { segmentSql } from '../../functions/services/segmentation/sql';
import { scoreCustomers } from '../fixtures/segmentation-oracle';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

const DAY = 86_400_000;

describe('the R×FM grid', () => {
  it('is the standard map, rows FM 5→1, columns R 1→5', () => {
    expect(RFM_GRID[5]).toEqual(['cant_lose', 'cant_lose', 'loyal', 'champions', 'champions']);
    expect(RFM_GRID[1]).toEqual(['lost', 'hibernating', 'about_to_sleep', 'promising', 'new_customers']);
    expect(segmentOf(5, 5, 5)).toBe('champions');
    expect(segmentOf(1, 1, 1)).toBe('lost');
    expect(segmentOf(5, 1, 1)).toBe('new_customers');
    expect(segmentOf(2, 4, 3)).toBe('at_risk');
  });

  it('names every segment, and every segment is somewhere on it', () => {
    const used = new Set(SCORES.flatMap((fm) => RFM_GRID[fm]));
    expect([...used].sort()).toEqual([...RFM_SEGMENTS].sort());
    expect(SEGMENT_LABELS.cant_lose).toBe("Can't lose them");
  });

  it("folds F and M into one score, rounding up", () => {
    expect([fmScore(1, 1), fmScore(1, 2), fmScore(2, 2), fmScore(4, 5), fmScore(5, 5)]).toEqual([1, 2, 2, 5, 5]);
  });

  it("the job's CASE has one branch per cell, each naming the grid's segment", () => {
    const query = new SQLiteSyncDialect().sqlToQuery(segmentSql());
    expect(query.sql.match(/when/g)).toHaveLength(25);
    // Bound as (fm, r, segment) per branch, in grid order.
    const cells = [];
    for (let i = 0; i < query.params.length; i += 3) cells.push(query.params.slice(i, i + 3));
    for (const [fm, r, segment] of cells as [1, number, string][]) expect(segment).toBe(RFM_GRID[fm][r - 1]);
  });
});

describe('quintiles and tiers', () => {
  it('spreads ranks 1..n over 1..5, and tied ranks share a score', () => {
    expect([1, 2, 3, 4, 5].map((rank) => quintile(rank, 5))).toEqual([1, 2, 3, 4, 5]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((rank) => quintile(rank, 10))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintile(1, 1)).toBe(1);
  });

  it('top 1% VIP, the next 5% Main, the next 20% Ordinary, the rest Scattered', () => {
    const tiers = Array.from({ length: 200 }, (_, i) => tierOf(i + 1, 200));
    expect(tiers.filter((t) => t === 'vip')).toHaveLength(2);
    expect(tiers.filter((t) => t === 'main')).toHaveLength(10);
    expect(tiers.filter((t) => t === 'ordinary')).toHaveLength(40);
    expect(tiers.filter((t) => t === 'scattered')).toHaveLength(148);
    // Fewer than 100 customers: the best one is still VIP.
    expect([tierOf(1, 3), tierOf(2, 3)]).toEqual(['vip', 'scattered']);
    expect([tierOf(1, 10), tierOf(2, 10), tierOf(3, 10), tierOf(4, 10)]).toEqual(['vip', 'ordinary', 'ordinary', 'scattered']);
  });
});

describe('churn risk and lifetime value', () => {
  it('is 0 within the usual gap and climbs as it is overrun', () => {
    expect(churnRisk(10, 30)).toBe(0);
    expect(churnRisk(30, 30)).toBe(0);
    expect(churnRisk(60, 30)).toBe(63);
    expect(churnRisk(90, 30)).toBe(86);
    expect(churnRisk(5, 0)).toBe(98);
  });

  it('says why, for repeat and one-time customers', () => {
    expect(churnWords({ lifetimeOrders: 4, recencyDays: 95, gapDays: 34, basis: 'own' })).toBe(
      'Buys about every 34 days; the last purchase was 95 days ago, 2.8 times the usual gap.',
    );
    expect(churnWords({ lifetimeOrders: 3, recencyDays: 10, gapDays: 30, basis: 'own' })).toBe(
      'Buys about every 30 days; the last purchase was 10 days ago, within the usual gap.',
    );
    expect(churnWords({ lifetimeOrders: 1, recencyDays: 95, gapDays: 40, basis: 'workspace' })).toBe(
      'One purchase so far, 95 days ago; repeat customers here come back within about 40 days.',
    );
    expect(churnWords({ lifetimeOrders: 1, recencyDays: 0, gapDays: 365, basis: 'window' })).toBe(
      'One purchase so far, today; nobody has bought twice yet, so it is measured against the 365-day window.',
    );
  });

  it('predicts a year: average order × orders a year × the chance they still buy', () => {
    expect(predictedValue({ lifetimeRevenue: 30000, lifetimeOrders: 3, gapDays: 30, churnRisk: 0 })).toBe(121667);
    expect(predictedValue({ lifetimeRevenue: 30000, lifetimeOrders: 3, gapDays: 30, churnRisk: 50 })).toBe(60833);
    expect(predictedValue({ lifetimeRevenue: 0, lifetimeOrders: 0, gapDays: 30, churnRisk: 0 })).toBe(0);
  });

  it('takes the median of an odd or even count', () => {
    expect(medianOf([380, 10, 30])).toBe(30);
    expect(medianOf([10, 30, 40, 380])).toBe(35);
    expect(medianOf([])).toBeUndefined();
  });
});

describe('the JS oracle the job is checked against', () => {
  const asOf = Date.UTC(2026, 0, 31);
  it('ties share scores whatever the order, cancelled and refunded orders do not count, other currencies convert', () => {
    const orders = [
      { contactId: 'x', at: asOf - 5 * DAY, total: 1000 },
      { contactId: 'y', at: asOf - 5 * DAY, total: 1000 },
      { contactId: 'z', at: asOf - 50 * DAY, total: 1000, currency: 'EUR' },
      { contactId: 'z', at: asOf - 1 * DAY, total: 1000, status: 'cancelled' as const },
      { contactId: 'w', at: asOf - 2 * DAY, total: 1000, refunded: 1000 },
    ];
    const a = scoreCustomers(orders, { asOf, windowDays: 365, currency: 'USD', factors: { EUR: 1.5 } });
    const b = scoreCustomers([...orders].reverse(), { asOf, windowDays: 365, currency: 'USD', factors: { EUR: 1.5 } });
    expect([...a.keys()].sort()).toEqual(['x', 'y', 'z']);
    expect(a.get('x')).toEqual(a.get('y'));
    expect(a.get('x')!.r).toBe(a.get('y')!.r);
    expect(a.get('z')).toMatchObject({ revenue: 1500, recencyDays: 50, r: 1 });
    for (const id of ['x', 'y', 'z']) expect(b.get(id)).toEqual(a.get(id));
  });
});
