import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { tagKey } from '../../domain/lists';
import { DAY_MS, dayStart, isoDay, type FieldSpec, type Money, type SegmentCondition } from '../../domain/segments';

// The SQL of each operator over one value, by the field's type. Values
// are bound parameters; `expr` is SQL the compiler built from the registry
// (a column, a JSON extract or a scalar subquery), NULL when the contact
// has no such value. Text compares ignoring ASCII case, as SQLite's
// lower() does (tags too, domain/lists.ts tagKey); a negated operator
// (is_not, none_of) also holds where the value is missing.

export const jsonList = (values: unknown[]) => sql`(select value from json_each(${JSON.stringify(values)}))`;
export const fold = (value: unknown) => tagKey(String(value));
const negate = (positive: SQL) => sql`not coalesce(${positive}, 0)`;

function textOp(expr: SQLWrapper, c: SegmentCondition): SQL {
  const low = sql`lower(${expr})`;
  switch (c.operator) {
    case 'is':
      return sql`${low} = ${fold(c.value)}`;
    case 'is_not':
      return negate(sql`${low} = ${fold(c.value)}`);
    case 'any_of':
      return sql`${low} in ${jsonList((c.value as string[]).map(fold))}`;
    case 'contains':
      return sql`instr(${low}, ${fold(c.value)}) > 0`;
    case 'starts_with':
      return sql`instr(${low}, ${fold(c.value)}) = 1`;
    case 'is_empty':
      return sql`coalesce(${expr}, '') = ''`;
    default:
      return sql`coalesce(${expr}, '') <> ''`;
  }
}

const amount = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Money).amount : v);

export function numberOp(expr: SQLWrapper, c: SegmentCondition): SQL {
  const v = c.value;
  switch (c.operator) {
    case 'is':
      return sql`${expr} = ${amount(v)}`;
    case 'is_not':
      return negate(sql`${expr} = ${amount(v)}`);
    case 'gt':
      return sql`${expr} > ${amount(v)}`;
    case 'gte':
      return sql`${expr} >= ${amount(v)}`;
    case 'lt':
      return sql`${expr} < ${amount(v)}`;
    case 'lte':
      return sql`${expr} <= ${amount(v)}`;
    case 'between': {
      const [from, to] = v as unknown[];
      return sql`${expr} between ${amount(from)} and ${amount(to)}`;
    }
    case 'is_empty':
      return sql`${expr} is null`;
    default:
      return sql`${expr} is not null`;
  }
}

// Dates held as epoch ms (created, last purchase): a day is its UTC
// midnight to the next; "after" starts the day after.
export function instantOp(expr: SQLWrapper, c: SegmentCondition, now: number): SQL {
  const v = c.value;
  switch (c.operator) {
    case 'before':
      return sql`${expr} < ${dayStart(v as string)}`;
    case 'after':
      return sql`${expr} >= ${dayStart(v as string) + DAY_MS}`;
    case 'between': {
      const [from, to] = v as string[];
      return sql`${expr} >= ${dayStart(from!)} and ${expr} < ${dayStart(to!) + DAY_MS}`;
    }
    case 'in_last_days':
      return sql`${expr} >= ${now - (v as number) * DAY_MS} and ${expr} <= ${now}`;
    case 'is_empty':
      return sql`${expr} is null`;
    default:
      return sql`${expr} is not null`;
  }
}

// Dates held as YYYY-MM-DD text (custom fields), compared as text.
function dayOp(expr: SQLWrapper, c: SegmentCondition, now: number): SQL {
  const v = c.value;
  switch (c.operator) {
    case 'before':
      return sql`${expr} < ${v}`;
    case 'after':
      return sql`${expr} > ${v}`;
    case 'between': {
      const [from, to] = v as string[];
      return sql`${expr} between ${from} and ${to}`;
    }
    case 'in_last_days':
      return sql`${expr} between ${isoDay(now - (v as number) * DAY_MS)} and ${isoDay(now)}`;
    case 'is_empty':
      return sql`${expr} is null`;
    default:
      return sql`${expr} is not null`;
  }
}

function enumOp(expr: SQLWrapper, c: SegmentCondition): SQL {
  switch (c.operator) {
    case 'is':
      return sql`${expr} = ${c.value}`;
    case 'is_not':
      return negate(sql`${expr} = ${c.value}`);
    case 'any_of':
      return sql`${expr} in ${jsonList(c.value as string[])}`;
    case 'none_of':
      return negate(sql`${expr} in ${jsonList(c.value as string[])}`);
    case 'is_empty':
      return sql`coalesce(${expr}, '') = ''`;
    default:
      return sql`coalesce(${expr}, '') <> ''`;
  }
}

// A JSON array of text (tags, a multi-select), or NULL.
function tagsOp(list: SQLWrapper, c: SegmentCondition): SQL {
  const any = () => sql`exists (select 1 from json_each(${list}) where lower(value) in ${jsonList((c.value as string[]).map(fold))})`;
  switch (c.operator) {
    case 'any_of':
      return any();
    case 'none_of':
      return sql`not ${any()}`;
    case 'is_empty':
      return sql`coalesce(json_array_length(${list}), 0) = 0`;
    default:
      return sql`coalesce(json_array_length(${list}), 0) > 0`;
  }
}

function booleanOp(expr: SQLWrapper, c: SegmentCondition): SQL {
  if (c.operator === 'is') return sql`${expr} = ${c.value ? 1 : 0}`;
  return c.operator === 'is_empty' ? sql`${expr} is null` : sql`${expr} is not null`;
}

// ---------------------------------------------------------------------------

// The operator's SQL for the field's type; `textDates` when the date is
// YYYY-MM-DD text (custom fields) rather than epoch ms.
export function byType(spec: FieldSpec, expr: SQLWrapper, c: SegmentCondition, now: number, textDates = false): SQL {
  switch (spec.type) {
    case 'text':
      return textOp(expr, c);
    case 'number':
    case 'money':
      return numberOp(expr, c);
    case 'date':
      return textDates ? dayOp(expr, c, now) : instantOp(expr, c, now);
    case 'enum':
    case 'relation':
      return enumOp(expr, c);
    case 'tags':
      return tagsOp(expr, c);
    case 'boolean':
      return booleanOp(expr, c);
  }
}

// Whether a condition holds for a contact without the value at all (no
// scores, no purchase to take the last of): only the negated operators
// and "is empty" accept a missing value, as the operators above read NULL.
export const holdsForNull = (c: SegmentCondition): boolean => c.operator === 'is_not' || c.operator === 'none_of' || c.operator === 'is_empty';

// Whether a number condition holds for `n` (a count or an amount of 0 for
// a contact without purchases), read as numberOp reads it.
export function holdsForNumber(c: SegmentCondition, n: number): boolean {
  const v = c.value;
  switch (c.operator) {
    case 'is':
      return n === amount(v);
    case 'is_not':
      return n !== amount(v);
    case 'gt':
      return n > (amount(v) as number);
    case 'gte':
      return n >= (amount(v) as number);
    case 'lt':
      return n < (amount(v) as number);
    case 'lte':
      return n <= (amount(v) as number);
    case 'between': {
      const [from, to] = v as unknown[];
      return n >= (amount(from) as number) && n <= (amount(to) as number);
    }
    case 'is_empty':
      return false;
    default:
      return true;
  }
}
