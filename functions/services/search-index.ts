import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';

// The contacts' trigram index (contacts_fts, FTS5) is written in segments,
// one per transaction, and FTS5 merges them as it goes only so far (its
// automerge): a search reads each segment a trigram lives in. Merging them
// down to one is what a search index wants between busy days: measured on
// the bench's 100k contacts, the full-text part of a search went from
// ~200 µs to ~130 µs. The index is one table for every workspace, so this is
// the nightly job's, not a workspace's.
//
// FTS5's 'merge' command does it in bounded steps (sqlite.org/fts5.html):
// a negative page count starts an incremental optimize, positive counts
// carry it on, each step writing at most that many pages (about 45 ms of the
// database's time on the bench's index). SQLite counts the step's writes in
// total_changes(), read on either side of it in the same batch (so on the
// same connection, over HTTP too); fewer than two means nothing was left.
export const MERGE_PAGES_PER_STEP = 500;

// One step; true while there is more to merge.
export async function mergeSearchIndexStep(db: Db, { starting }: { starting: boolean }): Promise<boolean> {
  const pages = starting ? -MERGE_PAGES_PER_STEP : MERGE_PAGES_PER_STEP;
  const totalChanges = () => db.all<{ n: number }>(sql`select total_changes() as n`);
  const [before, , after] = await db.batch([
    totalChanges(),
    db.run(sql`insert into contacts_fts(contacts_fts, rank) values ('merge', ${pages})`),
    totalChanges(),
  ]);
  return after[0]!.n - before[0]!.n >= 2;
}
