import { eq, SQL, sql } from 'drizzle-orm';
import type { Client } from '@libsql/client';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../db/client';
import { segmentationRuns as runs } from '../../db/schema';
import { readRun, startRun, stateOf, statsSql, type RunRow } from '../services/segmentation/runs';
import { stepStatements } from '../services/segmentation/steps';
import { refreshWorkspaceSegments } from '../services/segments/refresh';
import { systemScope } from '../services/scope';
import { segmentationMessage, type Queues, type SegmentationMessage } from './queues';

export type SegmentationDeps = { db: Db; now: () => number; queues: Queues };

// Customers per chunk: each chunk's statements group their orders (read
// from orders_ws_contact) or write their scores, inside a second on the
// Node host at this size. A chunk of scores touches nearly every page of
// customer_scores' indexes (its customers are spread over all of them), and
// each commit writes those pages again: at 100k customers, chunks of 25,000
// took the scores phase from 6.1 s to 3.0 s against 5,000 (under load).
export const DEFAULT_CHUNK = 25_000;
// Chunks one message runs, each one batch (one subrequest), before the run
// continues in a message of its own: with the start's two reads and the
// continuation's send, within one invocation's budget (functions/jobs/budget.ts;
// the segmentation consumer takes one message per batch).
export const CHUNKS_PER_MESSAGE = 200;
export const SEGMENTATION_SUBREQUESTS = 2 + CHUNKS_PER_MESSAGE + 1;
// Dynamic segments refreshed per step of the segments phase. Each costs a
// few subrequests (its read and its batch), so such a step counts as
// SEGMENT_STEP_COST chunks of the message's share.
export const SEGMENTS_PER_STEP = 5;
const SEGMENT_STEP_COST = 2 + SEGMENTS_PER_STEP * 2;

export const continueMessage = (run: Pick<RunRow, 'workspaceId' | 'id'>, chunk?: number): SegmentationMessage => ({
  type: 'continue',
  workspaceId: run.workspaceId,
  runId: run.id,
  ...(chunk === undefined ? {} : { chunk }),
});

// SQLite's memory while a chunk runs, on a database file this process
// opened (the Node host), where it is this process's memory. The host's
// connection keeps a 64 MiB page cache for the pages requests read
// (functions/node/database.ts), and a run reads far more pages than that,
// so it would fill all of it; and this build of SQLite keeps temporary
// b-trees (a materialized CTE, a DISTINCT, an automatic index: the
// bought-together pairs use all three over 700k order lines at 1M orders)
// in memory unless told otherwise. A chunk runs with a smaller cache and
// its temporary b-trees in files (the OS's file cache, not this process,
// holds them), and gives the connection its settings back as it ends;
// shrinking the cache frees the pages past its new size. Over HTTP (Turso)
// the memory is the server's. Measured at 100k customers / 1M orders, the
// run's process peaked at 107 MB this way against 215 MB before, and the
// run took no longer (the OS's file cache holds the pages SQLite's does
// not): 8 MiB gave 122 MB and no faster run, 16 MiB 139 MB.
export const CHUNK_PAGE_CACHE_KIB = 4_096;

// What a chunk sets and then restores: the cache inside its batch (a
// transaction); the temporary storage before and after it, as SQLite
// refuses to change that inside a transaction once it has been used.
type LocalSettings = { chunk: SQL[]; restore: SQL[]; tempInFiles: SQL; restoreTemp: SQL } | null;

async function localSettings(db: Db): Promise<LocalSettings> {
  // drizzle's libSQL database carries its client; Db's type leaves it out.
  if ((db as Db & { $client?: Client }).$client?.protocol !== 'file') return null;
  const [cache] = await db.all<{ cache_size: number }>(sql`pragma cache_size`);
  const [temp] = await db.all<{ temp_store: number }>(sql`pragma temp_store`);
  if (cache === undefined || temp === undefined) return null;
  // Pragmas take no bound values; these are integers SQLite gave.
  return {
    chunk: [sql.raw(`pragma cache_size = -${CHUNK_PAGE_CACHE_KIB}`)],
    restore: [sql.raw(`pragma cache_size = ${Math.trunc(Number(cache.cache_size))}`)],
    tempInFiles: sql.raw('pragma temp_store = file'),
    restoreTemp: sql.raw(`pragma temp_store = ${Math.trunc(Number(temp.temp_store))}`),
  };
}

// One chunk of the run as one batch, which ends by reading the run back:
// the state the next chunk starts from, whoever advanced it.
async function step(db: Db, row: RunRow, now: number, chunk: number, local: LocalSettings): Promise<RunRow | undefined> {
  const segmentsAfter =
    row.phase === 'segments'
      ? (await refreshWorkspaceSegments(db, row.workspaceId, { now, runId: row.id, after: row.cursor, limit: SEGMENTS_PER_STEP })).nextCursor
      : undefined;
  const statements = stepStatements({ run: stateOf(row), now, chunk, segmentsAfter }, statsSql);
  const read: BatchItem<'sqlite'> = db.select().from(runs).where(eq(runs.id, row.id));
  const batch: BatchItem<'sqlite'>[] = [...(local?.chunk ?? []), ...statements, read].map((s) => (s instanceof SQL ? db.run(s) : s));
  const restore = (local?.restore ?? []).map((s) => db.run(s));
  if (local) await db.run(local.tempInFiles);
  try {
    const results = await db.batch([...batch, ...restore] as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    return (results[batch.length - 1] as RunRow[])[0];
  } catch (error) {
    // A pragma outlives the transaction it ran in: a chunk that failed
    // before its restore would leave requests a 4 MiB cache.
    for (const statement of local?.restore ?? []) await db.run(statement);
    throw error;
  } finally {
    if (local) await db.run(local.restoreTemp);
  }
}

// Runs chunks until the run is done or this message's share is used, then
// hands the rest to a continuation. Two messages working on one run (a
// redelivery, a doubled cron) take turns: each chunk commits once, and
// each message sends at most one continuation, so their chains never grow.
export async function runSegmentation(deps: SegmentationDeps, body: unknown) {
  const message = segmentationMessage.parse(body);
  const scope = systemScope(deps.db, message.workspaceId, deps.now());
  let run =
    message.type === 'nightly'
      ? (await startRun(scope, { trigger: 'schedule', key: `nightly:${message.date}` })).run
      : await readRun(scope, message.runId);
  const chunk = message.chunk ?? DEFAULT_CHUNK;
  const local = await localSettings(deps.db);
  for (let chunks = 0; chunks < CHUNKS_PER_MESSAGE; chunks++) {
    if (run?.status !== 'running') return { runId: run?.id, chunks, continued: false };
    if (run.phase === 'segments') {
      if (chunks + SEGMENT_STEP_COST > CHUNKS_PER_MESSAGE) break;
      chunks += SEGMENT_STEP_COST - 1;
    }
    run = await step(deps.db, run, deps.now(), chunk, local);
  }
  if (run?.status !== 'running') return { runId: run?.id, chunks: CHUNKS_PER_MESSAGE, continued: false };
  await deps.queues.send('segmentation', continueMessage(run, message.chunk));
  return { runId: run.id, chunks: CHUNKS_PER_MESSAGE, continued: true };
}
