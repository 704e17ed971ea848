import { sql, type SQL } from 'drizzle-orm';
import { customerScoreChanges, customerScores, scoreCells, segmentMoves } from '../../../db/schema';

// The dashboards' summaries of the scores (db/schema/analytics.ts), rebuilt
// from the scores by one GROUP BY each rather than kept by triggers: a run
// writes 100k scores and history rows, and a trigger per row cost more than
// the rows. The run rebuilds them in its last chunk (steps.ts, finish), in
// the transaction that marks it done, so a reader sees the last finished
// run's cells until the next one finishes, never half of each. `guard` is
// the run's hold on its phase, so a chunk run twice rebuilds once.

// The scores by RFM cell, tier and month of the last purchase.
export function scoreCellsSql(workspaceId: string, guard: SQL = sql`1`): SQL[] {
  return [
    sql`delete from ${scoreCells} where workspace_id = ${workspaceId} and ${guard}`,
    sql`insert into ${scoreCells} (workspace_id, r, fm, tier, last_month, customers, revenue)
      select workspace_id, r, (f + m + 1) / 2, tier, strftime('%Y-%m', last_order_at / 1000, 'unixepoch'), count(*), sum(revenue)
      from ${customerScores} where workspace_id = ${workspaceId} and ${guard}
      group by r, (f + m + 1) / 2, tier, strftime('%Y-%m', last_order_at / 1000, 'unixepoch')`,
  ];
}

// Who moved from which segment to which in a run ('' for first scored),
// from its history rows; with runId null, every run of the workspace.
export function segmentMovesSql(workspaceId: string, runId: string | null, guard: SQL = sql`1`): SQL[] {
  const ofRuns = runId === null ? sql`1` : sql`run_id = ${runId}`;
  return [
    sql`delete from ${segmentMoves} where workspace_id = ${workspaceId} and ${ofRuns} and ${guard}`,
    sql`insert into ${segmentMoves} (workspace_id, run_id, from_segment, to_segment, customers)
      select workspace_id, run_id, coalesce(from_segment, ''), to_segment, count(*)
      from ${customerScoreChanges} where workspace_id = ${workspaceId} and ${ofRuns} and ${guard}
      group by run_id, coalesce(from_segment, ''), to_segment`,
  ];
}
