import { count, eq, sql } from 'drizzle-orm';
import { customerScoreChanges } from '../../../db/schema';
import type { PeriodQuery, SegmentMovements } from '../../schemas/analytics';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { latestRuns, periodBounds } from './context';

const $ = sql.placeholder;

// Who changed segment in a run: the run's rows of the score history, which
// holds one per customer whose scores changed (the first scoring included,
// from null), read from customer_score_changes_ws_moves alone.
const moves = preparedReads((db, scope) =>
  db
    .select({ from: customerScoreChanges.fromSegment, to: customerScoreChanges.toSegment, customers: count() })
    .from(customerScoreChanges)
    .where(scope(customerScoreChanges, eq(customerScoreChanges.runId, $('runId'))))
    .groupBy(customerScoreChanges.fromSegment, customerScoreChanges.toSegment),
);

// The last run (in the period, when one is given) against the run before.
export async function segmentMovements(scope: Scope, query: PeriodQuery): Promise<SegmentMovements> {
  const { run, previousRun } = await latestRuns(scope, periodBounds(query));
  if (!run) return { run, previousRun, moves: [] };
  const rows = await scope.ws.read(moves, undefined, { runId: run.id });
  return {
    run,
    previousRun,
    moves: rows.filter((m) => m.from !== m.to).sort((a, b) => b.customers - a.customers),
  };
}
