import type { CustomFieldDefinition } from './custom-fields';
import { isIdOf, type IdKind } from './ids';
import { CONSENT_STATUSES, LIFECYCLE_STAGES } from './records';
import { RFM_SEGMENTS, VALUE_TIERS } from './rfm';

// Dynamic segments: a tree of AND/OR groups over conditions on a contact's
// own fields, its company's, its purchases and its nightly scores. This is
// the one whitelist: a field or operator not named here never reaches SQL
// (functions/services/segments/compile.ts builds SQL from these entries,
// with every value a bound parameter).

export const SEGMENT_CHANGE_KINDS = ['entered', 'left'] as const;
export type SegmentChangeKind = (typeof SEGMENT_CHANGE_KINDS)[number];

export const FIELD_TYPES = ['text', 'number', 'money', 'date', 'enum', 'tags', 'boolean', 'relation'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const OPERATORS = [
  'is',
  'is_not',
  'any_of',
  'none_of',
  'contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'before',
  'after',
  'in_last_days',
  'is_empty',
  'is_set',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const OPERATORS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  text: ['is', 'is_not', 'any_of', 'contains', 'starts_with', 'is_empty', 'is_set'],
  number: ['is', 'is_not', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_set'],
  money: ['gt', 'gte', 'lt', 'lte', 'between'],
  date: ['before', 'after', 'between', 'in_last_days', 'is_empty', 'is_set'],
  enum: ['is', 'is_not', 'any_of', 'none_of', 'is_empty', 'is_set'],
  tags: ['any_of', 'none_of', 'is_empty', 'is_set'],
  boolean: ['is', 'is_empty', 'is_set'],
  relation: ['is', 'is_not', 'any_of', 'none_of', 'is_empty', 'is_set'],
};

export const FIELD_GROUPS = ['contact', 'company', 'orders', 'scores'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

export type FieldSpec = {
  key: string;
  label: string;
  group: FieldGroup;
  type: FieldType;
  // enum and tags: the values allowed (none: any text).
  options?: readonly string[];
  // relation: the kind of id it holds.
  ref?: IdKind;
  // Order facts that may be narrowed to the last N days (`days`).
  windowed?: boolean;
  // Fewer operators than the type has, where the others mean nothing.
  operators?: readonly Operator[];
};

const COUNTS: Operator[] = ['is', 'is_not', 'gt', 'gte', 'lt', 'lte', 'between'];
const BOUGHT: Operator[] = ['any_of', 'none_of'];

export const SEGMENT_FIELDS: readonly FieldSpec[] = [
  { key: 'contact.name', label: 'Name', group: 'contact', type: 'text' },
  { key: 'contact.email', label: 'Email', group: 'contact', type: 'text' },
  { key: 'contact.lifecycleStage', label: 'Lifecycle stage', group: 'contact', type: 'enum', options: LIFECYCLE_STAGES },
  { key: 'contact.owner', label: 'Owner', group: 'contact', type: 'relation', ref: 'user' },
  { key: 'contact.company', label: 'Company', group: 'contact', type: 'relation', ref: 'company' },
  { key: 'contact.tags', label: 'Tags', group: 'contact', type: 'tags' },
  { key: 'contact.leadSource', label: 'Lead source', group: 'contact', type: 'text' },
  { key: 'contact.emailConsent', label: 'Email consent', group: 'contact', type: 'enum', options: CONSENT_STATUSES },
  { key: 'contact.createdAt', label: 'Created', group: 'contact', type: 'date' },
  { key: 'company.name', label: 'Company name', group: 'company', type: 'text' },
  { key: 'company.industry', label: 'Industry', group: 'company', type: 'text' },
  { key: 'company.employees', label: 'Employees', group: 'company', type: 'number' },
  { key: 'company.tags', label: 'Company tags', group: 'company', type: 'tags' },
  { key: 'orders.count', label: 'Purchases', group: 'orders', type: 'number', windowed: true, operators: COUNTS },
  { key: 'orders.totalSpent', label: 'Total spent', group: 'orders', type: 'money', windowed: true },
  { key: 'orders.lastPurchaseAt', label: 'Last purchase', group: 'orders', type: 'date' },
  { key: 'orders.product', label: 'Bought product', group: 'orders', type: 'relation', ref: 'product', windowed: true, operators: BOUGHT },
  { key: 'orders.category', label: 'Bought from category', group: 'orders', type: 'enum', windowed: true, operators: BOUGHT },
  { key: 'scores.segment', label: 'RFM segment', group: 'scores', type: 'enum', options: RFM_SEGMENTS },
  { key: 'scores.tier', label: 'Value tier', group: 'scores', type: 'enum', options: VALUE_TIERS },
  { key: 'scores.r', label: 'Recency score (R)', group: 'scores', type: 'number' },
  { key: 'scores.f', label: 'Frequency score (F)', group: 'scores', type: 'number' },
  { key: 'scores.m', label: 'Monetary score (M)', group: 'scores', type: 'number' },
  { key: 'scores.churnRisk', label: 'Churn risk', group: 'scores', type: 'number' },
  { key: 'scores.lifetimeRevenue', label: 'Lifetime revenue', group: 'scores', type: 'money' },
  { key: 'scores.predictedValue', label: 'Predicted 12-month value', group: 'scores', type: 'money' },
];

const BY_KEY = new Map(SEGMENT_FIELDS.map((f) => [f.key, f]));
export const CUSTOM_PREFIX = 'contact.cf.';

const CUSTOM_TYPES: Record<CustomFieldDefinition['type'], FieldType> = {
  text: 'text',
  number: 'number',
  date: 'date',
  select: 'enum',
  multi_select: 'tags',
  boolean: 'boolean',
};

export function customFieldSpec(def: CustomFieldDefinition): FieldSpec {
  const type = CUSTOM_TYPES[def.type];
  return { key: `${CUSTOM_PREFIX}${def.key}`, label: def.label, group: 'contact', type, ...(def.options.length ? { options: def.options } : {}) };
}

// The field a condition names, from the registry or the workspace's
// contact custom fields; undefined when it is neither.
export function fieldSpec(key: string, custom: readonly CustomFieldDefinition[]): FieldSpec | undefined {
  const known = BY_KEY.get(key);
  if (known) return known;
  if (!key.startsWith(CUSTOM_PREFIX)) return undefined;
  const def = custom.find((d) => d.key === key.slice(CUSTOM_PREFIX.length));
  return def ? customFieldSpec(def) : undefined;
}

export const operatorsOf = (spec: FieldSpec): readonly Operator[] => spec.operators ?? OPERATORS_BY_TYPE[spec.type];

// ---------------------------------------------------------------------------
// The tree

export type Money = { amount: number; currency: string };
export type Scalar = string | number | boolean | Money;
export type ConditionValue = Scalar | Scalar[];
export type SegmentCondition = { type: 'condition'; field: string; operator: Operator; value?: ConditionValue | null; days?: number };
export type SegmentGroup = { type: 'group'; op: 'and' | 'or'; children: SegmentNode[] };
export type SegmentNode = SegmentCondition | SegmentGroup;
export type SegmentDefinition = SegmentGroup;

// Bounds on what a segment may ask of the database on every refresh.
export const MAX_DEPTH = 4;
export const MAX_CONDITIONS = 50;
export const MAX_DAYS = 36_500;

export type Issue = { path: string; message: string };
export type Context = { custom: readonly CustomFieldDefinition[]; reportingCurrency: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DAY_MS = 86_400_000;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
// UTC midnight that starts a YYYY-MM-DD day, and the day of an instant.
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const isMoney = (v: unknown): v is Money =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Number.isSafeInteger((v as Money).amount) && typeof (v as Money).currency === 'string';

// Why a single value does not fit the field, or null when it does.
function scalarProblem(spec: FieldSpec, value: unknown, ctx: Context): string | null {
  switch (spec.type) {
    case 'text':
    case 'tags':
      if (typeof value !== 'string' || value.trim() === '') return 'must be non-empty text';
      return spec.options && !spec.options.includes(value) ? `must be one of: ${spec.options.join(', ')}` : null;
    case 'enum':
      if (typeof value !== 'string' || value === '') return 'must be text';
      return spec.options && !spec.options.includes(value) ? `must be one of: ${spec.options.join(', ')}` : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'money':
      if (!isMoney(value)) return 'must be { amount, currency } with the amount in whole minor units';
      if (spec.group === 'scores' && value.currency !== ctx.reportingCurrency) return `scores are kept in ${ctx.reportingCurrency}`;
      return /^[A-Z]{3}$/.test(value.currency) ? null : 'must name an ISO 4217 currency';
    case 'date':
      return isCalendarDate(value) ? null : 'must be a date as YYYY-MM-DD';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'relation':
      return typeof value === 'string' && isIdOf(spec.ref!, value) ? null : `must be an id of a ${spec.ref}`;
  }
}

const order = (v: Scalar): number | string => (isMoney(v) ? v.amount : (v as number | string));

function valueProblem(spec: FieldSpec, c: SegmentCondition, ctx: Context): string | null {
  const { operator, value } = c;
  if (operator === 'is_empty' || operator === 'is_set') return value === undefined || value === null ? null : 'takes no value';
  if (operator === 'in_last_days') return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_DAYS ? null : `must be a whole number of days from 1 to ${MAX_DAYS}`;
  if (operator === 'any_of' || operator === 'none_of') {
    if (!Array.isArray(value) || value.length === 0) return 'must be a list of one or more values';
    for (const item of value) {
      const problem = scalarProblem(spec, item, ctx);
      if (problem) return `each ${problem}`;
    }
    return null;
  }
  if (operator === 'between') {
    if (!Array.isArray(value) || value.length !== 2) return 'must be [from, to]';
    const problem = scalarProblem(spec, value[0], ctx) ?? scalarProblem(spec, value[1], ctx);
    if (problem) return `each bound ${problem}`;
    const [from, to] = value as [Scalar, Scalar];
    if (isMoney(from) && isMoney(to) && from.currency !== to.currency) return 'both bounds must be in one currency';
    return order(from) <= order(to) ? null : 'must run from the lower bound to the higher';
  }
  return scalarProblem(spec, value, ctx);
}

// Checks what zod cannot: the field and operator against the registry and
// the workspace's custom fields, each value against its field's type, and
// the tree's depth and size. Paths name the bad node from `at`.
export function checkDefinition(definition: SegmentDefinition, ctx: Context, at = 'definition'): Issue[] {
  const issues: Issue[] = [];
  let conditions = 0;
  const walk = (node: SegmentNode, path: string, depth: number) => {
    if (node.type === 'group') {
      if (depth > MAX_DEPTH) issues.push({ path, message: `groups nest at most ${MAX_DEPTH} deep` });
      else node.children.forEach((child, i) => walk(child, `${path}.children.${i}`, depth + 1));
      return;
    }
    conditions += 1;
    const spec = fieldSpec(node.field, ctx.custom);
    if (!spec) return void issues.push({ path: `${path}.field`, message: `is not a field segments know: ${node.field}` });
    if (!operatorsOf(spec).includes(node.operator)) {
      return void issues.push({ path: `${path}.operator`, message: `${spec.label} takes: ${operatorsOf(spec).join(', ')}` });
    }
    const problem = valueProblem(spec, node, ctx);
    if (problem) issues.push({ path: `${path}.value`, message: `${spec.label} ${problem}` });
    if (node.days !== undefined && !spec.windowed) issues.push({ path: `${path}.days`, message: `${spec.label} cannot be narrowed to recent days` });
  };
  walk(definition, at, 1);
  if (conditions > MAX_CONDITIONS) issues.push({ path: at, message: `a segment has at most ${MAX_CONDITIONS} conditions` });
  return issues;
}
