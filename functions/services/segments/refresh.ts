import { and, asc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { contacts, segmentMembers, segments } from '../../../db/schema';
import type { Db } from '../../../db/client';
import { checkDefinition, type Context, type SegmentDefinition } from '../../domain/segments';
import type { SegmentRefreshView } from '../../schemas/segments';
import { systemScope, type Scope } from '../scope';
import { matching } from './compile';
import { checkedContext, definitionContext, storedSegment } from './index';

// Membership is recomputed in SQL, one batch (one transaction) per
// segment: members the definition no longer selects leave, contacts it
// selects that are not members enter, each move written to segment_changes
// by the same batch. A second run over unchanged data finds nobody to
// move, so a retried or doubled nightly message changes nothing.
//
// The definition is the costly part, so it is evaluated once per side:
// the rows that move are first marked in segment_members (a negative
// `since`, which no committed row holds), their changes written from the
// marks, and the marks then resolved, all inside the batch.

type Refreshed = { entered: number; left: number; memberCount: number };

const memberOf = (scope: Scope, segmentId: string, where?: SQL) =>
  scope.ws.scope(segmentMembers, and(eq(segmentMembers.segmentId, segmentId), where));

function refreshStatements(scope: Scope, segmentId: string, definition: SegmentDefinition, ctx: Context, runId: string | null) {
  const selected = matching(definition, { ...ctx, scope: scope.ws.scope, now: scope.now });
  const ws = scope.ws.workspaceId;
  const alreadyIn = sql`exists (select 1 from ${segmentMembers} where ${memberOf(scope, segmentId, eq(segmentMembers.contactId, contacts.id))})`;
  const stillSelected = sql`exists (select 1 from ${contacts} where ${eq(contacts.id, segmentMembers.contactId)} and ${selected})`;
  const marked = memberOf(scope, segmentId, sql`${segmentMembers.since} < 0`);
  const change = (kind: 'entered' | 'left') =>
    scope.db.run(sql`insert into segment_changes (workspace_id, segment_id, contact_id, kind, at, run_id)
      select ${ws}, ${segmentId}, ${segmentMembers.contactId}, ${kind}, ${scope.now}, ${runId} from ${segmentMembers} where ${marked}`);
  return [
    scope.ws.update(segmentMembers, { since: sql`-${segmentMembers.since}` }, memberOf(scope, segmentId, sql`${segmentMembers.since} > 0 and not ${stillSelected}`)),
    change('left'),
    scope.ws.delete(segmentMembers, marked),
    scope.db.run(sql`insert into segment_members (workspace_id, segment_id, contact_id, since)
      select ${ws}, ${segmentId}, ${contacts.id}, -1 from ${contacts} where ${selected} and not ${alreadyIn}`),
    change('entered'),
    scope.ws.update(segmentMembers, { since: scope.now }, marked),
    scope.ws.update(
      segments,
      { memberCount: sql`(select count(*) from ${segmentMembers} where ${memberOf(scope, segmentId)})`, refreshedAt: scope.now },
      and(eq(segments.id, segmentId), isNull(segments.deletedAt))!,
    ),
    scope.db.select({ n: segments.memberCount }).from(segments).where(scope.ws.scope(segments, eq(segments.id, segmentId))),
  ] as const;
}

async function refreshWith(scope: Scope, segmentId: string, definition: SegmentDefinition, ctx: Context, runId: string | null): Promise<Refreshed> {
  const statements = refreshStatements(scope, segmentId, definition, ctx, runId);
  const results = (await scope.ws.batch(statements as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])) as unknown[];
  const [left, , , entered] = results as { rowsAffected: number }[];
  const [count] = results[7] as { n: number }[];
  return { entered: entered!.rowsAffected, left: left!.rowsAffected, memberCount: count?.n ?? 0 };
}

// On demand ("Refresh now"): the stored definition, checked again against
// the workspace as it is now (a custom field it names may have gone).
export async function refreshSegment(scope: Scope, id: string): Promise<SegmentRefreshView> {
  const segment = await storedSegment(scope, id);
  const ctx = await checkedContext(scope, segment.definition);
  const done = await refreshWith(scope, id, segment.definition, ctx, null);
  return { ...done, refreshedAt: new Date(scope.now).toISOString() };
}

// Segments refreshed per call of refreshWorkspaceSegments: each is one
// batch (one subrequest in a Worker), so a call stays well inside a
// queue invocation's limits (jobs/budget.ts) however many a workspace has.
export const SEGMENTS_PER_CHUNK = 25;

export type WorkspaceRefresh = {
  refreshed: number;
  entered: number;
  left: number;
  // Segments whose definition no longer fits the workspace (a custom field
  // deleted): left as they were, and named so the run can report them.
  skipped: { id: string; reason: string }[];
  // Where the next call continues; null when every segment is done.
  nextCursor: string | null;
};

// For the nightly segmentation: refreshes a chunk of a workspace's live
// segments in id order, from `after`. The job calls it again with
// nextCursor until it is null (in the same invocation or a new message);
// running a chunk twice is harmless.
export async function refreshWorkspaceSegments(
  db: Db,
  workspaceId: string,
  options: { now: number; runId: string | null; after?: string | null; limit?: number },
): Promise<WorkspaceRefresh> {
  const scope = systemScope(db, workspaceId, options.now);
  const limit = options.limit ?? SEGMENTS_PER_CHUNK;
  const chunk = await db
    .select({ id: segments.id, definition: segments.definition })
    .from(segments)
    .where(scope.ws.scope(segments, and(isNull(segments.deletedAt), options.after ? gt(segments.id, options.after) : undefined)))
    .orderBy(asc(segments.id))
    .limit(limit + 1);
  const out: WorkspaceRefresh = { refreshed: 0, entered: 0, left: 0, skipped: [], nextCursor: null };
  const todo = chunk.slice(0, limit);
  if (todo.length === 0) return out;
  const ctx = await definitionContext(scope);
  for (const segment of todo) {
    const issues = checkDefinition(segment.definition, ctx);
    if (issues.length) {
      out.skipped.push({ id: segment.id, reason: issues.map((i) => `${i.path} ${i.message}`).join('; ') });
      continue;
    }
    const done = await refreshWith(scope, segment.id, segment.definition, ctx, options.runId);
    out.refreshed += 1;
    out.entered += done.entered;
    out.left += done.left;
  }
  out.nextCursor = chunk.length > limit ? todo[todo.length - 1]!.id : null;
  return out;
}
