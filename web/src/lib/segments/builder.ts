// Relative, not $functions/$lib: test/unit/web imports this file under the
// root tsconfig, which knows no SvelteKit aliases.
import { minorDigits } from '../../../../functions/domain/commerce';
import type { Operator, SegmentCondition, SegmentGroup } from '../../../../functions/domain/segments';
import type { SegmentField } from '../api';

// What the builder edits: the API's definition as it is, so what is saved
// is what was previewed. These helpers pick sensible defaults as the
// field or operator changes, and read and write values in the form a
// person types them (money in major units, lists comma-separated).

export const OPERATOR_LABELS: Record<Operator, string> = {
  is: 'is',
  is_not: 'is not',
  any_of: 'is any of',
  none_of: 'is none of',
  contains: 'contains',
  starts_with: 'starts with',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between',
  before: 'is before',
  after: 'is after',
  in_last_days: 'is in the last',
  is_empty: 'is empty',
  is_set: 'is set',
};

export const GROUP_LABELS: Record<string, string> = { contact: 'Contact', company: 'Company', orders: 'Purchases', scores: 'Scores' };

export const takesNoValue = (op: Operator) => op === 'is_empty' || op === 'is_set';
export const takesList = (op: Operator) => op === 'any_of' || op === 'none_of';

export function emptyGroup(op: 'and' | 'or' = 'and'): SegmentGroup {
  return { type: 'group', op, children: [] };
}

type Money = { amount: number; currency: string };

function defaultScalar(field: SegmentField, currency: string): unknown {
  switch (field.type) {
    case 'number':
      return 0;
    case 'money':
      return { amount: 0, currency };
    case 'boolean':
      return true;
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'enum':
      return field.options?.[0] ?? '';
    default:
      return '';
  }
}

// A fresh value for a field and operator: one the editors can show.
export function defaultValue(field: SegmentField, op: Operator, currency: string): unknown {
  if (takesNoValue(op)) return undefined;
  if (op === 'in_last_days') return 30;
  if (takesList(op)) return field.options?.length ? [field.options[0]] : [];
  if (op === 'between') return [defaultScalar(field, currency), defaultScalar(field, currency)];
  return defaultScalar(field, currency);
}

export function newCondition(field: SegmentField, currency: string): SegmentCondition {
  const operator = field.operators[0]!;
  const value = defaultValue(field, operator, currency);
  return { type: 'condition', field: field.key, operator, ...(value === undefined ? {} : { value: value as never }) };
}

// A condition moved to another operator keeps its value where it still fits.
export function withOperator(condition: SegmentCondition, field: SegmentField, op: Operator, currency: string): SegmentCondition {
  const keep = takesList(op) === takesList(condition.operator) && (op === 'between') === (condition.operator === 'between') && !takesNoValue(condition.operator) && condition.operator !== 'in_last_days' && op !== 'in_last_days';
  const value = keep ? condition.value : defaultValue(field, op, currency);
  const { value: _old, ...rest } = condition;
  return { ...rest, operator: op, ...(value === undefined || takesNoValue(op) ? {} : { value: value as never }) };
}

// Money: the API holds minor units; people type major ones.
export const toMajor = (money: Money) => money.amount / 10 ** minorDigits(money.currency);
export const toMinor = (major: number, currency: string) => Math.round(major * 10 ** minorDigits(currency));

export const listText = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
export const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

// How many conditions a definition holds, for the limit shown beside it.
export function conditionCount(group: SegmentGroup): number {
  return group.children.reduce((n, child) => n + (child.type === 'group' ? conditionCount(child) : 1), 0);
}

// A problem the server found, named as the builder numbers conditions:
// "definition.children.0.children.1.value" is condition 1.2.
export function problemText(path: string, message: string): string {
  const position = [...path.matchAll(/children\.(\d+)/g)].map((m) => Number(m[1]) + 1).join('.');
  return position ? `Condition ${position}: ${message}` : message;
}
