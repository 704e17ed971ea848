import { and, count, desc, eq, sql } from 'drizzle-orm';
import { recordTags } from '../../../db/schema';
import { COUNT_CAP, type ListEntity } from '../../domain/lists';
import type { CountView, TagVocabularyView } from '../../schemas/lists';
import type { Scope } from '../scope';
import { preparedReads, type PreparedReads } from '../workspace-data';
import { placeholder, taggedRows } from './conditions';
import { shapeKey, type ListShape, type ListSource } from './source';

// A list's total, apart from its pages: the same filter, counted up to
// COUNT_CAP + 1 matches, so the cost is bounded whatever the filter
// matches; past the cap the answer is a lower bound ("10,000+").
const countReads = new WeakMap<object, PreparedReads<ListShape, { n: number }>>();

function countsOf<F, S extends ListShape>(source: ListSource<F, S>): PreparedReads<S, { n: number }> {
  let reads = countReads.get(source);
  if (!reads) {
    reads = preparedReads((db, scope, shape: ListShape) => {
      const narrow = source.tagRowsAlone(shape as S);
      if (narrow) {
        // Counted whole, in the index: a LIMIT would have SQLite walk the
        // table's primary key for records in order instead (a scan of every
        // tag row of the workspace), and the index entries cost little.
        return db
          .select({ n: narrow.severalTags ? sql<number>`count(distinct ${recordTags.recordId})` : count() })
          .from(recordTags)
          .where(taggedRows(scope, source.entity, shape.trash, placeholder, narrow));
      }
      const matches = db
        .select({ one: sql`1` })
        .from(source.table)
        .where(scope(source.table, source.where(scope, shape as S, placeholder)))
        .limit(sql.placeholder('cap'))
        .as('matches');
      return db.select({ n: count() }).from(matches);
    }, shapeKey);
    countReads.set(source, reads);
  }
  return reads as PreparedReads<S, { n: number }>;
}

export async function countRecords<F, S extends ListShape>(scope: Scope, source: ListSource<F, S>, filter: F, trash: boolean): Promise<CountView> {
  const { shape, values } = source.plan(scope, filter, trash);
  const [row] = await scope.ws.read(countsOf(source), shape, { ...values, cap: COUNT_CAP + 1 });
  const n = row?.n ?? 0;
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

// The tags in use on records outside the trash, most used first, each in
// the spelling most of its records use; spellings that differ only in case
// are one tag (they match the same records).
export const MAX_VOCABULARY = 500;

const tagSpellings = preparedReads(
  (db, scope) =>
    db
      .select({ key: recordTags.key, tag: recordTags.tag, n: count() })
      .from(recordTags)
      .where(scope(recordTags, and(eq(recordTags.entity, sql.placeholder('entity')), eq(recordTags.live, true))))
      .groupBy(recordTags.key, recordTags.tag)
      .orderBy(desc(count())),
);

export async function tagVocabulary(scope: Scope, entity: ListEntity): Promise<TagVocabularyView> {
  const rows = await scope.ws.read(tagSpellings, undefined, { entity });
  const byKey = new Map<string, { tag: string; count: number }>();
  for (const { key, tag, n } of rows) {
    const seen = byKey.get(key);
    // Rows come most used first: the first spelling of a key is its most common.
    if (seen) seen.count += n;
    else byKey.set(key, { tag, count: n });
  }
  const data = [...byKey.values()].sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag, 'en')).slice(0, MAX_VOCABULARY);
  return { data };
}
