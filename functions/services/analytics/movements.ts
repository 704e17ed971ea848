import { and, eq, gt, sql } from 'drizzle-orm';
import { segmentMoves } from '../../../db/schema';
import type { RfmSegment } from '../../domain/rfm';
import type { PeriodQuery, SegmentMovements } from '../../schemas/analytics';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { latestRuns, periodBounds } from './context';

const $ = sql.placeholder;

// Who changed segment in a run, counted from the score history as it was
// written (segment_moves; '' is first scored).
const moves = preparedReads((db, scope) =>
  db
    .select({ from: segmentMoves.fromSegment, to: segmentMoves.toSegment, customers: segmentMoves.customers })
    .from(segmentMoves)
    .where(scope(segmentMoves, and(eq(segmentMoves.runId, $('runId')), gt(segmentMoves.customers, 0)))),
);

// The last run (in the period, when one is given) against the run before.
export async function segmentMovements(scope: Scope, query: PeriodQuery): Promise<SegmentMovements> {
  const { run, previousRun } = await latestRuns(scope, periodBounds(query));
  if (!run) return { run, previousRun, moves: [] };
  const rows = await scope.ws.read(moves, undefined, { runId: run.id });
  return {
    run,
    previousRun,
    moves: rows
      .filter((m) => m.from !== m.to)
      .map((m) => ({ from: m.from === '' ? null : (m.from as RfmSegment), to: m.to as RfmSegment, customers: m.customers }))
      .sort((a, b) => b.customers - a.customers),
  };
}
