import type { Queues } from '../../jobs/queues';
import type { Scope } from '../scope';
import { runView, startRun } from './runs';

export { contactInsights } from './insights';
export { getRun, listRuns } from './runs';
export { getAnalyticsSettings, updateAnalyticsSettings } from './settings';

// "Run now": a run already going is answered as it is (200); otherwise a
// new one starts and the segmentation queue carries it (202).
export async function runNow(scope: Scope, queues: Queues) {
  const { run, started } = await startRun(scope, { trigger: 'manual', requestedBy: scope.actor.actorId });
  if (!run) throw new Error('A manual run always stands after startRun');
  if (started) await queues.send('segmentation', { type: 'continue', workspaceId: run.workspaceId, runId: run.id });
  return { started, run: runView(run) };
}
