import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { recordTags } from '../../../db/schema';
import type { CustomCondition, ListEntity } from '../../domain/lists';
import { invalid } from '../errors';
import type { Scope } from '../scope';
import type { Scoper } from '../workspace-data';

// The pieces every list's filter is made of. A filter is planned in JS
// first (its shape: which conditions, no values; and the values they bind),
// then built into SQL from the shape with each value a parameter: a
// placeholder for the prepared list and count, the value itself for a bulk
// operation's batch. So one shape is one prepared statement, and the list,
// its count and a bulk operation over it can never disagree.

// A named parameter: sql.placeholder(name) or the value bound under it.
export type Param = (name: string) => SQLWrapper;
export const placeholder: Param = (name) => sql.placeholder(name);
export const valuesOf =
  (values: Record<string, unknown>): Param =>
  (name) =>
    sql`${values[name] ?? null}`;

export type Planned<Shape> = { shape: Shape; values: Record<string, unknown> };

// ---------------------------------------------------------------------------
// Owner: a member, "me", or nobody.

export type OwnerShape = 'id' | 'none' | null;

export function planOwner(scope: Scope, ownerId: string | undefined, values: Record<string, unknown>): OwnerShape {
  if (ownerId === undefined) return null;
  if (ownerId === 'none') return 'none';
  if (ownerId === 'me') {
    if (!scope.actor.userId) throw invalid('"me" is the signed-in member; an API key is not one', [{ path: 'ownerId', message: 'not a member' }]);
    values.ownerId = scope.actor.userId;
  } else {
    values.ownerId = ownerId;
  }
  return 'id';
}

export function ownerSql(column: SQLiteColumn, shape: OwnerShape, param: Param): SQL | undefined {
  if (shape === 'none') return sql`${column} is null`;
  return shape === 'id' ? sql`${column} = ${param('ownerId')}` : undefined;
}

// ---------------------------------------------------------------------------
// Tags: any of several, without regard to (ASCII) case, through the
// record_tags index the triggers of migrations 0007, 0009 and 0011 keep. In the
// trash the tags of trashed records are searched, elsewhere those of live
// ones. The stages and the owner asked for narrow the tagged records inside
// that index, from the copies it keeps, so only matching records are read
// (the caller's own conditions on the record still hold as well).

// severalTags: whether a record may match more than one tag row, and so
// must be counted or listed once (DISTINCT costs a sort of every match).
export type TagNarrowing = { stages: boolean; owner: OwnerShape; severalTags: boolean };

// The tag rows a filter selects, tenant included: one row per matching tag,
// so a record with two of the tags asked for has two.
export function taggedRows(scope: Scoper, entity: ListEntity, trash: boolean, param: Param, narrow: TagNarrowing): SQL {
  return scope(
    recordTags,
    and(
      eq(recordTags.entity, entity),
      eq(recordTags.live, !trash),
      sql`${recordTags.key} in (select lower(value) from json_each(${param('tags')}))`,
      narrow.stages ? sql`${recordTags.stage} in (select value from json_each(${param('stages')}))` : undefined,
      ownerSql(recordTags.ownerId, narrow.owner, param),
    ),
  )!;
}

// The narrowing when record_tags alone answers a filter: tags, with at most
// the trash state, stages and an owner. Any other part of the shape that is
// set (a search, a company, a custom field, one added later) means no, so a
// new filter can never be skipped by a count read from the tag rows.
const HELD_BY_TAG_ROWS = new Set(['trash', 'tags', 'severalTags', 'stages', 'owner']);

export function tagRowsAlone(shape: { tags: boolean; severalTags: boolean; owner: OwnerShape; stages?: boolean }): TagNarrowing | null {
  if (!shape.tags) return null;
  const other = Object.entries(shape).some(([key, value]) => !HELD_BY_TAG_ROWS.has(key) && (Array.isArray(value) ? value.length > 0 : !!value));
  return other ? null : { stages: !!shape.stages, owner: shape.owner, severalTags: shape.severalTags };
}

export function tagSql(scope: Scoper, entity: ListEntity, id: SQLiteColumn, trash: boolean, param: Param, narrow: TagNarrowing): SQL {
  return sql`${id} in (select ${recordTags.recordId} from ${recordTags} where ${taggedRows(scope, entity, trash, param, narrow)})`;
}

// ---------------------------------------------------------------------------
// Custom fields, by the operator and the kind of value compared. Values are
// read from the record's own JSON; a key no record has matches nothing.

export type CustomShape = 'eq:text' | 'eq:number' | 'eq:boolean' | `${'gte' | 'lte'}:${'number' | 'date'}` | 'contains' | 'in';

export function planCustom(conditions: CustomCondition[] | undefined, values: Record<string, unknown>): CustomShape[] {
  return (conditions ?? []).map((c, i): CustomShape => {
    values[`cf${i}path`] = `$."${c.key}"`;
    switch (c.op) {
      case 'in':
        values[`cf${i}`] = JSON.stringify(c.value);
        return 'in';
      case 'contains':
        values[`cf${i}`] = c.value;
        return 'contains';
      case 'eq':
        if (typeof c.value === 'boolean') {
          values[`cf${i}`] = c.value ? 1 : 0;
          return 'eq:boolean';
        }
        values[`cf${i}`] = c.value;
        return typeof c.value === 'number' ? 'eq:number' : 'eq:text';
      case 'gte':
      case 'lte':
        values[`cf${i}`] = c.value;
        return `${c.op}:${typeof c.value === 'number' ? 'number' : 'date'}`;
    }
  });
}

export function customSql(column: SQLiteColumn, shapes: CustomShape[], param: Param): SQL[] {
  return shapes.map((shape, i) => {
    const path = param(`cf${i}path`);
    const value = param(`cf${i}`);
    const stored = sql`json_extract(${column}, ${path})`;
    const typed = (kind: 'number' | 'date') =>
      kind === 'number' ? sql`json_type(${column}, ${path}) in ('integer', 'real')` : sql`json_type(${column}, ${path}) = 'text'`;
    switch (shape) {
      case 'in':
        return sql`exists (select 1 from json_each(${column}, ${path}) where value in (select value from json_each(${value})))`;
      case 'contains':
        return sql`json_type(${column}, ${path}) = 'text' and instr(lower(${stored}), lower(${value})) > 0`;
      case 'eq:text':
        return sql`json_type(${column}, ${path}) = 'text' and lower(${stored}) = lower(${value})`;
      case 'eq:number':
        return sql`${typed('number')} and ${stored} = ${value}`;
      case 'eq:boolean':
        return sql`json_type(${column}, ${path}) in ('true', 'false') and ${stored} = ${value}`;
      case 'gte:number':
      case 'gte:date':
        return sql`${typed(shape === 'gte:number' ? 'number' : 'date')} and ${stored} >= ${value}`;
      case 'lte:number':
      case 'lte:date':
        return sql`${typed(shape === 'lte:number' ? 'number' : 'date')} and ${stored} <= ${value}`;
    }
  });
}
