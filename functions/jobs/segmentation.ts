import { eq } from 'drizzle-orm';
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
// from orders_ws_contact alone) or copy their scores, well inside a
// statement's time on Turso.
export const DEFAULT_CHUNK = 5_000;
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

// One chunk of the run as one batch, which ends by reading the run back:
// the state the next chunk starts from, whoever advanced it.
async function step(db: Db, row: RunRow, now: number, chunk: number): Promise<RunRow | undefined> {
  const segmentsAfter =
    row.phase === 'segments'
      ? (await refreshWorkspaceSegments(db, row.workspaceId, { now, runId: row.id, after: row.cursor, limit: SEGMENTS_PER_STEP })).nextCursor
      : undefined;
  const statements: BatchItem<'sqlite'>[] = stepStatements({ run: stateOf(row), now, chunk, segmentsAfter }, statsSql).map((s) => db.run(s));
  const read: BatchItem<'sqlite'> = db.select().from(runs).where(eq(runs.id, row.id));
  const results = await db.batch([...statements, read] as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return (results[results.length - 1] as RunRow[])[0];
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
  for (let chunks = 0; chunks < CHUNKS_PER_MESSAGE; chunks++) {
    if (run?.status !== 'running') return { runId: run?.id, chunks, continued: false };
    if (run.phase === 'segments') {
      if (chunks + SEGMENT_STEP_COST > CHUNKS_PER_MESSAGE) break;
      chunks += SEGMENT_STEP_COST - 1;
    }
    run = await step(deps.db, run, deps.now(), chunk);
  }
  if (run?.status !== 'running') return { runId: run?.id, chunks: CHUNKS_PER_MESSAGE, continued: false };
  await deps.queues.send('segmentation', continueMessage(run, message.chunk));
  return { runId: run.id, chunks: CHUNKS_PER_MESSAGE, continued: true };
}
