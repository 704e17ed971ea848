import { sql, type SQL } from 'drizzle-orm';
import { companies, contacts, products, type orders } from '../../../db/schema';
import type { ListEntity } from '../../domain/lists';
import type { LifecycleStage } from '../../domain/records';
import type { Scope } from '../scope';

// What a bulk action does to one record, in SQL over the record's row: when
// it changes it (a record that already has the tag is left alone and gets
// no audit row), what it sets, and the audit row's `changes`, in the format
// the record timeline reads: { fields, from, to, bulkId }.

export type BulkAction =
  | { type: 'addTags'; tags: string[] }
  | { type: 'removeTags'; tags: string[] }
  | { type: 'setOwner'; ownerId: string | null }
  | { type: 'setStage'; lifecycleStage: LifecycleStage }
  | { type: 'setActive'; active: boolean }
  | { type: 'delete' }
  // An Undo of a bulk delete: not something a client asks for by name.
  | { type: 'restore' };

// A record's tags: at most this many (functions/schemas/common.ts).
const MAX_TAGS = 50;

export type Table = typeof contacts | typeof companies | typeof products | typeof orders;
// The lists whose records have tags and an owner.
type Owned = typeof contacts | typeof companies;
export type ActionPlan = {
  audit: 'update' | 'delete' | 'restore';
  // The record changes (given that the selection matched it).
  changes: SQL;
  set: Record<string, SQL | number | string | null>;
  // The audit row's changes, less bulkId (null: only the bulkId).
  describe: SQL | null;
  // Bulk deletes remember what they deleted, for Undo.
  remembers: boolean;
};

const fieldChange = (field: string, from: SQL, to: SQL) =>
  sql`'fields', json_array(${field}), 'from', json_object(${field}, ${from}), 'to', json_object(${field}, ${to})`;

// Each list's bulk request schema offers only the actions its records
// have the columns for (tags and owner: contacts and companies; a stage:
// contacts; on sale: products); those two name their columns alike.
export function planAction(scope: Scope, target: Table, action: BulkAction, deletedAt: SQL): ActionPlan {
  const now = scope.now;
  const table = target as Owned;
  switch (action.type) {
    case 'addTags': {
      const add = JSON.stringify(action.tags);
      const missing = sql`(select added.value from json_each(${add}) as added where lower(added.value) not in (select lower(had.value) from json_each(${table.tags}) as had))`;
      const next = sql`(select json_group_array(value) from (select had.value from json_each(${table.tags}) as had union all select value from ${missing}))`;
      return {
        audit: 'update',
        changes: sql`exists ${missing} and json_array_length(${table.tags}) + (select count(*) from ${missing}) <= ${MAX_TAGS}`,
        set: { tags: next, updatedAt: now },
        describe: fieldChange('tags', sql`json(${table.tags})`, sql`json(${next})`),
        remembers: false,
      };
    }
    case 'removeTags': {
      const remove = JSON.stringify(action.tags);
      const gone = sql`(select lower(gone.value) from json_each(${remove}) as gone)`;
      const next = sql`(select json_group_array(had.value) from json_each(${table.tags}) as had where lower(had.value) not in ${gone})`;
      return {
        audit: 'update',
        changes: sql`exists (select 1 from json_each(${table.tags}) as had where lower(had.value) in ${gone})`,
        set: { tags: next, updatedAt: now },
        describe: fieldChange('tags', sql`json(${table.tags})`, sql`json(${next})`),
        remembers: false,
      };
    }
    case 'setOwner':
      return {
        audit: 'update',
        changes: sql`${table.ownerId} is not ${action.ownerId}`,
        set: { ownerId: action.ownerId, updatedAt: now },
        describe: fieldChange('ownerId', sql`${table.ownerId}`, sql`${action.ownerId}`),
        remembers: false,
      };
    case 'setStage':
      return {
        audit: 'update',
        changes: sql`${contacts.lifecycleStage} <> ${action.lifecycleStage}`,
        set: { lifecycleStage: action.lifecycleStage, updatedAt: now },
        describe: fieldChange('lifecycleStage', sql`${contacts.lifecycleStage}`, sql`${action.lifecycleStage}`),
        remembers: false,
      };
    case 'setActive':
      return {
        audit: 'update',
        changes: sql`${products.active} <> ${action.active}`,
        set: { active: action.active ? 1 : 0, updatedAt: now },
        describe: fieldChange('active', sql`json(case when ${products.active} then 'true' else 'false' end)`, sql`json(${String(action.active)})`),
        remembers: false,
      };
    case 'delete':
      return { audit: 'delete', changes: sql`1`, set: { deletedAt: deletedAt as SQL, updatedAt: now }, describe: null, remembers: true };
    case 'restore':
      return { audit: 'restore', changes: sql`1`, set: { deletedAt: null, updatedAt: now }, describe: null, remembers: false };
  }
}

// The audit rows' entity type for each list.
export const ENTITY_TYPES: Record<ListEntity, string> = { contact: 'contact', company: 'company', product: 'product', order: 'order' };
