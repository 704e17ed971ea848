import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentationRuns } from '../../db/schema';
import { DAY_MS } from '../../functions/domain/customer-value';
import { aMember, testApp, type TestApp } from '../fixtures/app';
import { insertOrders, type OrderSpec } from '../fixtures/orders';
import { drainSegmentation, nightly, scoresOf } from '../fixtures/segmentation';
import { scoreCustomers } from '../fixtures/segmentation-oracle';
import { insertContacts } from '../fixtures/trash';

// A generated workspace (seeded, so every run is the same): the job's
// scores against the JS oracle and against one hand-written SQL query.

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = Date.UTC(2026, 10, 23, 3);
let t: TestApp;
let workspaceId: string;
let specs: OrderSpec[];
beforeAll(async () => {
  t = await testApp({ now: NOW });
  workspaceId = (await aMember(t.app)).workspaceId;
  const contacts = await insertContacts(t.db, workspaceId, 600, { at: NOW - 900 * DAY_MS, deletedAt: null });
  const random = mulberry32(7);
  specs = [];
  for (let i = 0; i < 3000; i++) {
    // Skewed: a few contacts buy often, most once or twice.
    const who = contacts[Math.floor(contacts.length * random() ** 2)]!;
    const roll = random();
    specs.push({
      contactId: who,
      at: NOW - Math.floor(random() * 700 * DAY_MS),
      // Whole dollars often, so equal revenues (ties) happen.
      total: random() < 0.5 ? 1000 * (1 + Math.floor(random() * 10)) : 100 + Math.floor(random() * 50_000),
      refunded: roll < 0.05 ? 500 : 0,
      status: roll > 0.97 ? 'cancelled' : 'paid',
    });
  }
  await insertOrders(t.db, workspaceId, specs);
}, 60_000);
afterAll(() => t.close());

describe('segmentation of a generated workspace (600 contacts, 3,000 orders)', () => {
  it('matches the JS oracle for every customer, in several chunks', async () => {
    const { runId } = await drainSegmentation(t.db, NOW, nightly(workspaceId, NOW, 97));
    const expected = scoreCustomers(specs, { asOf: NOW, windowDays: 365, currency: 'USD' });
    const actual = await scoresOf(t.db, workspaceId);
    expect(actual.size).toBe(expected.size);
    for (const [id, want] of expected) {
      const got = actual.get(id)!;
      const { expectedGapDays, unpricedOrders: _, ...rest } = want;
      expect({ id, ...got }).toMatchObject({ id, ...rest });
      expect(got.expectedGapDays).toBeCloseTo(expectedGapDays, 9);
    }
    const [run] = await t.db.select().from(segmentationRuns).where(sql`id = ${runId}`);
    expect(run).toMatchObject({ status: 'done', customers: expected.size });
    expect(run!.chunks).toBeGreaterThan(10);
  });

  it('matches one hand-written SQL query computing R, F, M and the segment', async () => {
    const since = NOW - 365 * DAY_MS;
    // Written from the definitions, not from the job: RANK() over worst to
    // best, quintile 1 + 5(rank − 1) div n, and the R×FM map spelled out.
    const expected = await t.db.all<{ id: string; r: number; f: number; m: number; segment: string }>(sql`
      with p as (
        select contact_id, ordered_at, total - refunded as net from orders
        where workspace_id = ${workspaceId} and deleted_at is null and status <> 'cancelled' and total > refunded and ordered_at <= ${NOW}
          and contact_id in (select id from contacts where workspace_id = ${workspaceId} and deleted_at is null)),
      c as (
        select contact_id, cast((${NOW} - max(ordered_at)) / 86400000 as integer) as recency,
          sum(case when ordered_at > ${since} then 1 else 0 end) as frequency,
          sum(case when ordered_at > ${since} then net else 0 end) as monetary
        from p group by contact_id),
      q as (
        select contact_id,
          1 + 5 * (rank() over (order by recency desc) - 1) / count(*) over () as r,
          1 + 5 * (rank() over (order by frequency) - 1) / count(*) over () as f,
          1 + 5 * (rank() over (order by monetary) - 1) / count(*) over () as m
        from c)
      select contact_id as id, r, f, m,
        case (f + m + 1) / 2
          when 5 then case when r <= 2 then 'cant_lose' when r = 3 then 'loyal' else 'champions' end
          when 4 then case when r <= 2 then 'at_risk' when r <= 4 then 'loyal' else 'champions' end
          when 3 then case when r <= 2 then 'at_risk' when r = 3 then 'need_attention' else 'potential_loyalist' end
          when 2 then case when r <= 2 then 'hibernating' when r = 3 then 'about_to_sleep' else 'potential_loyalist' end
          else case r when 1 then 'lost' when 2 then 'hibernating' when 3 then 'about_to_sleep' when 4 then 'promising' else 'new_customers' end
        end as segment
      from q`);
    const actual = await scoresOf(t.db, workspaceId);
    expect(expected.length).toBeGreaterThan(300);
    expect(actual.size).toBe(expected.length);
    for (const row of expected) expect({ id: row.id, ...pick(actual.get(row.id)!) }).toEqual(row);
    const segments = new Set(expected.map((row) => row.segment));
    expect(segments.size).toBeGreaterThanOrEqual(8);
  });
});

const pick = (s: { r: number; f: number; m: number; segment: string }) => ({ r: s.r, f: s.f, m: s.m, segment: s.segment });
