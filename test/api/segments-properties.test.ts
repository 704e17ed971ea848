import { asc } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, contacts, customerScores, orderLines, orders, products } from '../../db/schema';
import { CONSENT_STATUSES, LIFECYCLE_STAGES, type CustomFieldValues } from '../../functions/domain/records';
import { RFM_SEGMENTS, VALUE_TIERS } from '../../functions/domain/rfm';
import { newId } from '../../functions/domain/ids';
import { customFieldSpec, MAX_DEPTH, OPERATORS, operatorsOf, SEGMENT_FIELDS, type FieldSpec, type Operator, type SegmentNode } from '../../functions/domain/segments';
import { systemScope } from '../../functions/services/scope';
import { definitionContext } from '../../functions/services/segments';
import { matching } from '../../functions/services/segments/compile';
import { aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';
import { evaluate, type Rows } from '../fixtures/segments';

// Random definition trees against two workspaces whose data overlaps and
// points across the tenant line (A's contacts at B's companies and
// products, B's orders and scores naming A's contacts), as careless
// imports could leave it. Valid trees must select exactly what the plain-JS
// evaluator selects over A's rows alone; any tree, valid or not, must be
// answered 200 or 400, never 500.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

// A small deterministic generator, so a failure replays with the same data.
function random(seed: number) {
  let s = seed;
  const next = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

const FIRST = ['Ada', 'Bob', 'Cy', 'Dee', 'Éva', 'ann'];
const LAST = ['Lovelace', 'Builder', 'Young', 'O Neil', 'smith'];
const ADDRESSES = ['ada@x.example', 'BOB@y.example', 'cy@z.example', 'dee@x.example'];
const TAGS = ['vip', 'VIP', 'newsletter', 'partner', 'Élite'];
const TEXTS = ['Web form', 'referral', 'renewal due', 'Retail', 'software', 'Acme', 'Globex'];
const CATEGORIES = ['Kitchen', 'kitchen', 'Lighting'];
const DAYS = ['2025-01-01', '2025-11-30', '2026-06-15', '2026-11-01', '2026-11-20'];
const CUSTOM = [
  { key: 'notes', type: 'text' },
  { key: 'score', type: 'number' },
  { key: 'since', type: 'date' },
  { key: 'tier', type: 'select', options: ['gold', 'silver'] },
  { key: 'langs', type: 'multi_select', options: ['en', 'fr'] },
  { key: 'vip', type: 'boolean' },
] as const;

type Ids = { contacts: string[]; companies: string[]; products: string[]; owners: string[] };

async function populate(workspaceId: string, ownerId: string, seed: number, other: Ids | null): Promise<Rows & { ids: Ids }> {
  const r = random(seed);
  const now = t.clock.now;
  const rows: Rows = { contacts: [], companies: [], orders: [], lines: [], products: [], scores: [] };
  for (let i = 0; i < 3; i++) {
    const row = { id: newId('company'), name: r.pick(TEXTS), industry: r.chance(0.3) ? null : r.pick(TEXTS), employees: r.chance(0.2) ? null : r.int(1, 900), tags: r.chance(0.5) ? [r.pick(TAGS)] : [], deletedAt: i === 2 ? now : null };
    rows.companies.push(row);
    await t.db.insert(companies).values({ ...row, workspaceId, sortName: row.name.toLowerCase(), customFields: {}, createdAt: now, updatedAt: now });
  }
  for (let i = 0; i < 3; i++) {
    const row = { id: newId('product'), category: i === 2 ? null : r.pick(CATEGORIES) };
    rows.products.push(row);
    await t.db.insert(products).values({ ...row, workspaceId, sku: `SKU-${seed}-${i}`, name: `P${i}`, sortName: `p${i}`, price: 100, currency: 'USD', active: true, tags: [], customFields: {}, createdAt: now, updatedAt: now });
  }
  const companyIds = [...rows.companies.map((c) => c.id), ...(other?.companies ?? [])];
  const productIds = [...rows.products.map((p) => p.id), ...(other?.products ?? [])];
  for (let i = 0; i < 18; i++) {
    const customFields: CustomFieldValues = {};
    if (r.chance(0.6)) customFields.notes = r.pick(TEXTS);
    if (r.chance(0.6)) customFields.score = r.chance(0.15) ? '10' : r.int(0, 20);
    if (r.chance(0.6)) customFields.since = r.pick(DAYS);
    if (r.chance(0.6)) customFields.tier = r.pick(['gold', 'silver']);
    if (r.chance(0.6)) customFields.langs = r.chance(0.5) ? ['en'] : ['en', 'fr'];
    if (r.chance(0.6)) customFields.vip = r.chance(0.15) ? 'yes' : r.chance(0.5);
    const row = {
      id: newId('contact'),
      firstName: r.pick(FIRST),
      lastName: r.pick(LAST),
      emails: Array.from({ length: r.int(0, 2) }, () => ({ address: r.pick(ADDRESSES) })),
      lifecycleStage: r.pick(LIFECYCLE_STAGES),
      ownerId: r.chance(0.3) ? null : r.pick([ownerId, ...(other?.owners ?? [])]),
      companyId: r.chance(0.25) ? null : r.pick(companyIds),
      tags: r.chance(0.4) ? [] : [r.pick(TAGS), r.pick(TAGS)].filter((tag, j, all) => all.findIndex((x) => x.toLowerCase() === tag.toLowerCase()) === j),
      leadSource: r.pick([null, '', 'Web form', 'referral']),
      emailConsent: r.pick(CONSENT_STATUSES),
      createdAt: now - r.int(0, 400) * DAY,
      customFields,
      deletedAt: r.chance(0.1) ? now : null,
    };
    rows.contacts.push(row);
    await t.db.insert(contacts).values({ ...row, workspaceId, sortName: `${row.firstName} ${row.lastName}`.toLowerCase(), phones: [], softData: {}, searchText: '', updatedAt: row.createdAt });
  }
  // Orders for A's own contacts, and (from B) for A's: those must never count in A.
  const buyers = [...rows.contacts.map((c) => c.id), ...(other?.contacts ?? [])];
  for (let i = 0; i < 40; i++) {
    const order = {
      id: newId('order'),
      contactId: r.pick(buyers),
      status: r.pick(['paid', 'fulfilled', 'refunded', 'cancelled', 'pending']),
      orderedAt: now - r.int(0, 500) * DAY,
      currency: r.pick(['USD', 'USD', 'EUR']),
      total: r.int(0, 50) * 100,
      refunded: r.chance(0.2) ? r.int(0, 30) * 100 : 0,
      deletedAt: r.chance(0.1) ? now : null,
    };
    rows.orders.push(order);
    await t.db.insert(orders).values({ ...order, workspaceId, status: order.status as 'paid', subtotal: order.total, discount: 0, shipping: 0, tax: 0, createdAt: now, updatedAt: now });
    for (let position = 0; position < r.int(0, 2); position++) {
      const line = { orderId: order.id, productId: r.chance(0.1) ? null : r.pick(productIds) };
      rows.lines.push(line);
      await t.db.insert(orderLines).values({ ...line, id: newId('orderLine'), workspaceId, position, name: 'x', quantity: 1, unitPrice: 1, total: 1 });
    }
  }
  for (const contactId of buyers.filter(() => r.chance(0.5))) {
    const score = { contactId, segment: r.pick(RFM_SEGMENTS), tier: r.pick(VALUE_TIERS), r: r.int(1, 5), f: r.int(1, 5), m: r.int(1, 5), churnRisk: r.int(0, 100), lifetimeRevenue: r.int(0, 100) * 100, predictedValue: r.int(0, 100) * 100 };
    rows.scores.push(score);
    await t.db
      .insert(customerScores)
      .values({ ...score, workspaceId, runId: 'run_x', orders: 1, revenue: 1, lifetimeOrders: 1, firstOrderAt: now, lastOrderAt: now, recencyDays: 1, expectedGapDays: null, updatedAt: now })
      .onConflictDoNothing();
  }
  const own = (rowsOf: { id: string }[]) => rowsOf.map((x) => x.id);
  return { ...rows, ids: { contacts: own(rows.contacts), companies: own(rows.companies), products: own(rows.products), owners: [ownerId] } };
}

type World = Awaited<ReturnType<typeof twoWorkspaces>>;
async function twoWorkspaces() {
  const a = await aMember(t.app);
  const b = await aMember(t.app);
  for (const m of [a, b]) {
    for (const f of CUSTOM) await created(m.caller.post('/api/custom-fields', { entity: 'contact', key: f.key, label: f.key, type: f.type, ...('options' in f ? { options: f.options } : {}) }));
  }
  const bravo = await populate(b.workspaceId, b.userId, 7, null);
  const alpha = await populate(a.workspaceId, a.userId, 11, bravo.ids);
  // B's orders and scores for A's contacts, written after A has some.
  const stray = await populate(b.workspaceId, b.userId, 13, alpha.ids);
  // A's own rows: B's rows are never part of what A may select.
  const alphaRows: Rows = alpha;
  const scope = systemScope(t.db, a.workspaceId, t.clock.now);
  const ctx = { ...(await definitionContext(scope)), scope: scope.ws.scope, now: t.clock.now };
  return { a, alphaRows, ctx, ids: { alpha: alpha.ids, bravo: bravo.ids, stray: stray.ids } };
}

// ---------------------------------------------------------------------------
// Trees

function valueArb(spec: FieldSpec, op: Operator, w: World): fc.Arbitrary<unknown> {
  const idsFor = { user: [...w.ids.alpha.owners, ...w.ids.bravo.owners], company: [...w.ids.alpha.companies, ...w.ids.bravo.companies], product: [...w.ids.alpha.products, ...w.ids.bravo.products] };
  const one: fc.Arbitrary<unknown> = (() => {
    switch (spec.type) {
      case 'text':
        return fc.constantFrom(...TEXTS, ...FIRST, ...ADDRESSES, 'ada', 'ki', 'o n');
      case 'tags':
        return spec.options ? fc.constantFrom(...spec.options) : fc.constantFrom(...TAGS);
      case 'enum':
        return spec.options ? fc.constantFrom(...spec.options) : fc.constantFrom(...CATEGORIES);
      case 'number':
        return fc.integer({ min: 0, max: 20 }).map((n) => (spec.group === 'company' ? n * 50 : n));
      case 'money':
        return fc.record({ amount: fc.integer({ min: 0, max: 60 }).map((n) => n * 100), currency: spec.group === 'scores' ? fc.constant('USD') : fc.constantFrom('USD', 'EUR') });
      case 'date':
        return fc.constantFrom(...DAYS);
      case 'boolean':
        return fc.boolean();
      case 'relation':
        return fc.constantFrom(...idsFor[spec.ref as keyof typeof idsFor]);
    }
  })();
  if (op === 'is_empty' || op === 'is_set') return fc.constant(undefined);
  if (op === 'in_last_days') return fc.integer({ min: 1, max: 400 });
  if (op === 'any_of' || op === 'none_of') return fc.array(one, { minLength: 1, maxLength: 3 });
  if (op === 'between') {
    return fc.tuple(one, one).map(([x, y]) => {
      const key = (v: unknown) => (typeof v === 'object' && v !== null ? (v as { amount: number }).amount : (v as number | string));
      if (typeof x === 'object' && typeof y === 'object') y = { ...(y as object), currency: (x as { currency: string }).currency };
      return key(x) <= key(y) ? [x, y] : [y, x];
    });
  }
  return one;
}

function validTree(w: World): fc.Arbitrary<SegmentNode> {
  const specs = [...SEGMENT_FIELDS, ...w.ctx.custom.map(customFieldSpec)];
  const condition = fc
    .constantFrom(...specs)
    .chain((spec) => fc.constantFrom(...operatorsOf(spec)).map((op) => ({ spec, op })))
    .chain(({ spec, op }) =>
      fc.record({ value: valueArb(spec, op, w), days: spec.windowed ? fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }) : fc.constant(undefined) }).map(
        ({ value, days }): SegmentNode => ({ type: 'condition', field: spec.key, operator: op, ...(value === undefined ? {} : { value: value as never }), ...(days === undefined ? {} : { days }) }),
      ),
    );
  const group = (depth: number): fc.Arbitrary<SegmentNode> =>
    fc.record({
      type: fc.constant('group' as const),
      op: fc.constantFrom('and' as const, 'or' as const),
      children: fc.array(depth < MAX_DEPTH ? fc.oneof({ weight: 3, arbitrary: condition }, { weight: 1, arbitrary: group(depth + 1) }) : condition, { maxLength: 4 }),
    });
  return group(1);
}

// Anything shaped roughly like a tree: unknown fields and operators, values
// of every JSON type, trees too deep, junk where nodes go.
const junk = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
function anyTree(w: World): fc.Arbitrary<unknown> {
  const fields = [...SEGMENT_FIELDS.map((f) => f.key), ...CUSTOM.map((f) => `contact.cf.${f.key}`), 'contact.cf.nope', 'contacts.id', 'workspace_id', "name'--"];
  const condition = fc.record(
    { type: fc.constant('condition'), field: fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 20 })), operator: fc.oneof(fc.constantFrom(...OPERATORS), fc.string({ maxLength: 8 })), value: fc.oneof(junk, fc.array(junk, { maxLength: 3 })), days: fc.oneof(fc.integer({ min: -5, max: 40_000 }), junk) },
    { requiredKeys: ['type', 'field', 'operator'] },
  );
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, condition, tie('group'), junk),
    group: fc.record({ type: fc.constant('group'), op: fc.oneof(fc.constantFrom('and', 'or'), fc.string({ maxLength: 4 })), children: fc.array(tie('node'), { maxLength: 4 }) }),
  }));
  return fc.oneof(tree.group, validTree(w));
}

// ---------------------------------------------------------------------------

let w: World;
beforeAll(async () => {
  w = await twoWorkspaces();
}, 60_000);

const selected = async (definition: SegmentNode) =>
  (await t.db.select({ id: contacts.id }).from(contacts).where(matching(definition as never, w.ctx)).orderBy(asc(contacts.id))).map((r) => r.id);

describe('random segment definitions', () => {
  it('select exactly what the plain-JS evaluator selects from A’s own rows, over SQL and over HTTP', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(validTree(w), async (definition) => {
        const expected = evaluate(definition, w.alphaRows, w.ctx, t.clock.now);
        const got = await selected(definition);
        expect(got).toEqual(expected);
        for (const id of got) expect(w.ids.alpha.contacts).toContain(id);
        const res = await w.a.caller.post('/api/segments/preview', { definition });
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        expect(res.json.count).toBe(expected.length);
        expect(res.json.contacts.map((c: { id: string }) => c.id).sort()).toEqual(expected);
        if (expected.length > 0 && expected.length < w.ids.alpha.contacts.length) nonEmpty += 1;
      }),
      { numRuns: 300, seed: 20261123 },
    );
    // The property is only worth something if trees split the contacts.
    expect(nonEmpty).toBeGreaterThan(60);
  }, 120_000);

  it('are answered 200 or 400 with the JSON error body, never 500, and never show a contact of another workspace', async () => {
    await fc.assert(
      fc.asyncProperty(anyTree(w), async (definition) => {
        const res = await w.a.caller.post('/api/segments/preview', { definition });
        expect([200, 400], JSON.stringify(res.json)).toContain(res.status);
        if (res.status === 400) expect(res.json.error.code).toBe('invalid_request');
        else for (const c of res.json.contacts as { id: string }[]) expect(w.ids.alpha.contacts).toContain(c.id);
      }),
      { numRuns: 300, seed: 7 },
    );
  }, 120_000);
});

