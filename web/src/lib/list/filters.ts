import { formatCustomCondition, parseCustomCondition, type CustomCondition } from '../../../../functions/domain/lists';
import type { FieldDef, FieldType } from '../fields/types';

// How a field of each type is filtered, beside registry.ts (how it is
// shown): the operators a filter offers and the words a chip reads. Custom
// fields filter through this registry, so a new custom field type is one
// entry here. null: not filterable by value (yet).
export type FilterKind = 'text' | 'number' | 'date' | 'options' | 'boolean';

export const FILTER: Record<FieldType, FilterKind | null> = {
  text: 'text',
  longText: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  number: 'number',
  // Amounts in several currencies do not compare as one number (yet).
  money: null,
  date: 'date',
  datetime: null,
  select: 'options',
  multiSelect: 'options',
  tags: null,
  boolean: 'boolean',
  company: null,
  member: null,
};

// What the filter form of each kind offers.
export const OPERATORS: Record<FilterKind, { op: CustomCondition['op']; label: string }[]> = {
  text: [
    { op: 'contains', label: 'contains' },
    { op: 'eq', label: 'is' },
  ],
  number: [
    { op: 'gte', label: 'at least' },
    { op: 'lte', label: 'at most' },
    { op: 'eq', label: 'is' },
  ],
  date: [
    { op: 'gte', label: 'on or after' },
    { op: 'lte', label: 'on or before' },
  ],
  options: [{ op: 'in', label: 'is any of' }],
  boolean: [{ op: 'eq', label: 'is' }],
};

// The condition a filter form builds, or null while it is incomplete.
export function conditionOf(kind: FilterKind, key: string, op: CustomCondition['op'], input: string | string[]): CustomCondition | null {
  if (kind === 'options') {
    const values = [input].flat().filter(Boolean);
    return values.length ? { key, op: 'in', value: values } : null;
  }
  const text = [input].flat()[0]?.trim() ?? '';
  if (!text) return null;
  switch (kind) {
    case 'boolean':
      return { key, op: 'eq', value: text === 'true' };
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return null;
      return op === 'gte' || op === 'lte' || op === 'eq' ? ({ key, op, value: n } as CustomCondition) : null;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && (op === 'gte' || op === 'lte') ? { key, op, value: text } : null;
    case 'text':
      return op === 'contains' ? { key, op, value: text } : { key, op: 'eq', value: text };
  }
}

export const conditionParam = formatCustomCondition;

// A chip's words: "Tier is any of gold, silver", "Score at least 10".
export function describeCondition<R>(param: string, fields: FieldDef<R>[]): string {
  const c = parseCustomCondition(param);
  if (!c) return param;
  const field = fields.find((f) => f.key === `cf.${c.key}`);
  const kind = field ? FILTER[field.type] : null;
  const op = (kind ? OPERATORS[kind] : Object.values(OPERATORS).flat()).find((o) => o.op === c.op)?.label ?? c.op;
  const value = Array.isArray(c.value) ? c.value.join(', ') : typeof c.value === 'boolean' ? (c.value ? 'yes' : 'no') : String(c.value);
  return `${field?.label ?? c.key} ${op} ${value}`;
}
