import type { SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { companies, contacts, orders, products } from '../../../db/schema';
import type { ListEntity } from '../../domain/lists';
import type { Scope } from '../scope';
import type { Scoper } from '../workspace-data';
import type { Param, Planned, TagNarrowing } from './conditions';

// What the shared list needs to know of an object to list, count, tag and
// change its records in bulk: its table, its filter (planned in JS, built in
// SQL from the plan's shape) and the columns bulk actions write. A later
// object with a list (deals, tickets) is one more of these.
export type ListShape = { trash: boolean };

export type ListSource<Filter, Shape extends ListShape> = {
  entity: ListEntity;
  // The singular, as errors and audit rows name it.
  label: string;
  table: typeof contacts | typeof companies | typeof products | typeof orders;
  // Bulk operations walk the matches in the order of this key (an integer
  // or a text id, unique and never renumbered), a chunk at a time.
  chunkKey: { column: SQLiteColumn; numeric: boolean };
  plan(scope: Scope, filter: Filter, trash: boolean): Planned<Shape>;
  // The filter's conditions, the trash state included, without the tenant
  // (the caller's scoper adds it).
  where(scope: Scoper, shape: Shape, param: Param): SQL;
  // When the filter is tags and nothing record_tags does not also hold
  // (stages, owner), how to narrow the tag rows: the count is then read
  // from that index alone, without visiting a record.
  tagRowsAlone(shape: Shape): TagNarrowing | null;
};

// A statement's cache key: its shape, whatever order the plan wrote it in.
export const shapeKey = (shape: object) => JSON.stringify(shape);
