import { eq, sql } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '../../functions/domain/custom-fields';
import {
  checkDefinition,
  customFieldSpec,
  operatorsOf,
  SEGMENT_FIELDS,
  type FieldSpec,
  type Operator,
  type SegmentCondition,
  type SegmentDefinition,
} from '../../functions/domain/segments';
import { compileDefinition } from '../../functions/services/segments/compile';
import type { Scoper } from '../../functions/services/workspace-data';

// The compiler's output for every field and operator of the registry: it
// builds, every value the user sent is a bound parameter (never SQL text),
// and every table it reads besides contacts is narrowed to the workspace.

const WS = 'ws_01JD5X9Q2M7R4T8V6W3Y0Z1A2B';
const scope: Scoper = (table, where) => sql`${eq(table.workspaceId, WS)} and (${where ?? sql`1`})`;
const NOW = Date.UTC(2026, 10, 23, 12);
const custom: CustomFieldDefinition[] = [
  { key: 'notes', label: 'Notes', type: 'text', options: [] },
  { key: 'score', label: 'Score', type: 'number', options: [] },
  { key: 'since', label: 'Since', type: 'date', options: [] },
  { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
  { key: 'langs', label: 'Languages', type: 'multi_select', options: ['en', 'fr'] },
  { key: 'vip', label: 'VIP', type: 'boolean', options: [] },
];
const ctx = { custom, reportingCurrency: 'USD', scope, now: NOW };
const dialect = new SQLiteSyncDialect();
const render = (definition: SegmentDefinition) => dialect.sqlToQuery(compileDefinition(definition, ctx));
const one = (c: Omit<SegmentCondition, 'type'>): SegmentDefinition => ({ type: 'group', op: 'and', children: [{ type: 'condition', ...c }] });

// A text that would break out of a string literal if it were pasted into SQL.
const EVIL = "x'); drop table contacts; --";

function scalar(spec: FieldSpec, i = 0): unknown {
  switch (spec.type) {
    case 'text':
      return `${EVIL}${i}`;
    case 'tags':
    case 'enum':
      return spec.options ? spec.options[i % spec.options.length] : `${EVIL}${i}`;
    case 'number':
      return 7 + i;
    case 'money':
      return { amount: 1_000 + i, currency: 'USD' };
    case 'date':
      return `2026-0${1 + i}-15`;
    case 'boolean':
      return true;
    case 'relation':
      return `${{ user: 'usr', company: 'com', product: 'prd' }[spec.ref as string]}_01JD5X9Q2M7R4T8V6W3Y0Z1A2${i}`;
  }
}

function valueFor(spec: FieldSpec, op: Operator): unknown {
  if (op === 'is_empty' || op === 'is_set') return undefined;
  if (op === 'in_last_days') return 30;
  if (op === 'any_of' || op === 'none_of') return [scalar(spec, 0), scalar(spec, 1)];
  if (op === 'between') return [scalar(spec, 0), scalar(spec, 1)];
  return scalar(spec);
}

const allSpecs = [...SEGMENT_FIELDS, ...custom.map(customFieldSpec)];
const cases = allSpecs.flatMap((spec) => operatorsOf(spec).map((op) => ({ spec, op, value: valueFor(spec, op) })));

describe('compileDefinition', () => {
  it('covers every field of the registry and each type', () => {
    expect(new Set(allSpecs.map((s) => s.type))).toEqual(new Set(['text', 'number', 'money', 'date', 'enum', 'tags', 'boolean', 'relation']));
    expect(cases.length).toBeGreaterThan(100);
  });

  for (const { spec, op, value } of cases) {
    it(`${spec.key} ${op}: the definition is valid, and its values are parameters`, () => {
      const definition = one({ field: spec.key, operator: op, ...(value === undefined ? {} : { value: value as never }) });
      expect(checkDefinition(definition, ctx)).toEqual([]);
      const { sql: text, params } = render(definition);
      expect(text).not.toContain('drop table');
      expect(text).not.toMatch(/'[^']*\d{4}-\d{2}-\d{2}/);
      if (JSON.stringify(value ?? '').includes(EVIL)) expect(JSON.stringify(params)).toContain('drop table');
      // Each table read beside contacts is narrowed to the workspace.
      const tables = ['"orders"', '"companies"', '"customer_scores"', '"order_lines"', '"products"', '"record_tags"'].filter((t) => text.includes(`from ${t}`) || text.includes(`join ${t}`));
      expect(params.filter((p) => p === WS).length).toBeGreaterThanOrEqual(tables.length);
    });
  }

  it('narrows order facts to the last N days by a parameter', () => {
    const { sql: text, params } = render(one({ field: 'orders.count', operator: 'gte', value: 2, days: 30 }));
    expect(text).toMatch(/"ordered_at" >= \?/);
    expect(params).toContain(NOW - 30 * 86_400_000);
  });

  it('joins groups with AND and OR as nested, and reads an empty group as true', () => {
    const tagged = { type: 'condition', field: 'contact.tags', operator: 'is_set' } as const;
    const staged = { type: 'condition', field: 'contact.lifecycleStage', operator: 'is', value: 'lead' } as const;
    const { sql: text } = render({ type: 'group', op: 'or', children: [tagged, { type: 'group', op: 'and', children: [staged, tagged] }, { type: 'group', op: 'and', children: [] }] });
    const t = '(coalesce(json_array_length("contacts"."tags"), 0) > 0)';
    const st = '("contacts"."lifecycle_stage" = ?)';
    expect(text).toBe(`((${t} or ((${st} and ${t})) or 1))`);
    expect(render({ type: 'group', op: 'or', children: [] }).sql).toBe('1');
  });
});

describe('checkDefinition', () => {
  const issuesOf = (definition: unknown) => checkDefinition(definition as SegmentDefinition, ctx);
  const cond = (field: string, operator: string, value?: unknown, days?: number) => ({ type: 'condition', field, operator, value, ...(days ? { days } : {}) });
  const group = (...children: unknown[]) => ({ type: 'group', op: 'and', children });

  it('names the bad node by its path', () => {
    expect(issuesOf(group(group(cond('contact.nickname', 'is', 'x'))))).toEqual([{ path: 'definition.children.0.children.0.field', message: expect.stringContaining('contact.nickname') }]);
    expect(issuesOf(group(cond('contact.tags', 'contains', 'x')))[0]!.path).toBe('definition.children.0.operator');
    expect(issuesOf(group(cond('orders.count', 'gt', '3')))[0]!.path).toBe('definition.children.0.value');
  });

  it('refuses values that do not fit their field', () => {
    const bad: [string, string, unknown][] = [
      ['contact.lifecycleStage', 'is', 'prospect'],
      ['contact.cf.tier', 'any_of', ['gold', 'bronze']],
      ['contact.cf.langs', 'any_of', ['de']],
      ['contact.owner', 'is', 'com_01JD5X9Q2M7R4T8V6W3Y0Z1A2B'],
      ['contact.createdAt', 'after', '2026-13-01'],
      ['contact.createdAt', 'in_last_days', 0],
      ['contact.createdAt', 'in_last_days', 2.5],
      ['orders.totalSpent', 'gt', 100],
      ['orders.totalSpent', 'between', [{ amount: 1, currency: 'USD' }, { amount: 2, currency: 'EUR' }]],
      ['scores.predictedValue', 'gt', { amount: 1, currency: 'EUR' }],
      ['orders.count', 'between', [3]],
      ['contact.name', 'is', '   '],
      ['contact.tags', 'any_of', []],
      ['contact.cf.vip', 'is', 'yes'],
      ['contact.tags', 'is_set', 'x'],
    ];
    for (const [field, op, value] of bad) expect(issuesOf(group(cond(field, op, value))), `${field} ${op} ${JSON.stringify(value)}`).toHaveLength(1);
  });

  it('allows `days` only on order facts that have a window', () => {
    expect(issuesOf(group(cond('orders.count', 'gte', 1, 30)))).toEqual([]);
    expect(issuesOf(group(cond('orders.lastPurchaseAt', 'is_set', undefined, 30)))[0]!.path).toBe('definition.children.0.days');
  });

  it('bounds the depth to 4 groups and the size to 50 conditions', () => {
    const leaf = cond('contact.tags', 'is_set');
    expect(issuesOf(group(group(group(group(leaf)))))).toEqual([]);
    expect(issuesOf(group(group(group(group(group(leaf))))))[0]!.path).toBe('definition.children.0.children.0.children.0.children.0');
    expect(issuesOf(group(...Array.from({ length: 50 }, () => leaf)))).toEqual([]);
    expect(issuesOf(group(group(...Array.from({ length: 30 }, () => leaf)), group(...Array.from({ length: 21 }, () => leaf))))).toEqual([
      { path: 'definition', message: expect.stringContaining('50') },
    ]);
  });
});
