import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { companies, contacts, segmentChanges, segmentMembers } from '../../../db/schema';
import type { Cursor } from '../../domain/cursor';
import { COUNT_CAP } from '../../domain/lists';
import type { SegmentDefinition } from '../../domain/segments';
import type { SegmentChangeView, SegmentMemberView, SegmentPreviewView } from '../../schemas/segments';
import { contactJson, liveCompany } from '../contacts/view';
import { isoTime, jsonObject, pageOf, type JsonText, type Page } from '../json-views';
import type { Scope } from '../scope';
import { matching } from './compile';
import { checkedContext, storedSegment } from './index';

// What the builder and a segment's page read: a live count with the first
// matches, the members, and who entered and left when.

export const PREVIEW_SIZE = 20;

// The builder's live count: capped like a list's (domain/lists.ts), so
// its cost is bounded whatever the definition matches. The matches are
// found in one walk, counted, and the first few by name drawn from them:
// a second walk in name order would read every contact when few match.
// Past the cap, those are the first by name of the matches counted. Only
// those few are joined to their rows and drawn as JSON: joined before the
// sort, every match was (5,000 matches cost 50 ms). CROSS JOIN keeps the
// page outermost: SQLite otherwise scanned every contact to probe it.
export async function previewSegment(scope: Scope, definition: SegmentDefinition): Promise<JsonText<SegmentPreviewView>> {
  const ctx = await checkedContext(scope, definition);
  const selected = matching(definition, { ...ctx, scope: scope.ws.scope, now: scope.now });
  const found = sql`select ${contacts.id} as id, ${contacts.sortName} as name from ${contacts} where ${selected} limit ${COUNT_CAP + 1}`;
  const first = sql`select ${contactJson} as j from (select id, name from found order by name, id limit ${PREVIEW_SIZE}) as page
    cross join ${contacts} on ${scope.ws.scope(contacts, sql`${contacts.id} = page.id`)}
    left join ${companies} on ${liveCompany} order by page.name, page.id`;
  const [row] = await scope.db.all<{ n: number; json: string | null }>(
    sql`with found as materialized (${found}) select (select count(*) from found) as n, (select json_group_array(json(j)) from (${first})) as json`,
  );
  const n = row?.n ?? 0;
  return `{"count":${Math.min(n, COUNT_CAP)},"capped":${n > COUNT_CAP},"contacts":${row?.json ?? '[]'}}`;
}

// "Members of segment X" for anything that sends to an audience (email
// campaigns): the contact ids, one range of segment_members' key. Members
// trashed since the last refresh are still in it; join live contacts.
export function segmentAudience(scope: Scope, segmentId: string) {
  return scope.db.select({ contactId: segmentMembers.contactId }).from(segmentMembers).where(scope.ws.scope(segmentMembers, eq(segmentMembers.segmentId, segmentId)));
}

const memberJson = jsonObject<SegmentMemberView>({ since: isoTime(segmentMembers.since), contact: sql`json(${contactJson})` });

// Members in name order, a page at a time; contacts in the trash are left out.
export async function segmentMembersPage(scope: Scope, id: string, page: { cursor?: Cursor; limit: number }): Promise<JsonText<Page<SegmentMemberView>>> {
  await storedSegment(scope, id);
  const after = page.cursor ? sql`(${contacts.sortName}, ${contacts.id}) > (${page.cursor.v}, ${page.cursor.id})` : undefined;
  const rows = await scope.db.all<{ json: JsonText<SegmentMemberView>; v: string; id: string }>(
    sql`select ${memberJson} as "json", ${contacts.sortName} as v, ${contacts.id} as id
      from ${segmentMembers}
      inner join ${contacts} on ${and(eq(contacts.id, segmentMembers.contactId), eq(contacts.workspaceId, segmentMembers.workspaceId), isNull(contacts.deletedAt))}
      left join ${companies} on ${liveCompany}
      where ${scope.ws.scope(segmentMembers, and(eq(segmentMembers.segmentId, id), after))}
      order by ${asc(contacts.sortName)}, ${asc(contacts.id)} limit ${page.limit + 1}`,
  );
  return pageOf(rows, page.limit);
}

const changeJson = jsonObject<SegmentChangeView>({
  contactId: segmentChanges.contactId,
  contactName: sql`(select trim(${contacts.firstName} || ' ' || ${contacts.lastName}) from ${contacts} where ${eq(contacts.id, segmentChanges.contactId)} and ${eq(contacts.workspaceId, segmentChanges.workspaceId)})`,
  kind: segmentChanges.kind,
  at: isoTime(segmentChanges.at),
  runId: segmentChanges.runId,
});

// Newest first. The cursor's position is the change's sequence number
// (its contact id rides along only because cursors carry one).
export async function segmentChangesPage(scope: Scope, id: string, page: { cursor?: Cursor; limit: number }): Promise<JsonText<Page<SegmentChangeView>>> {
  await storedSegment(scope, id);
  const before = page.cursor ? sql`${segmentChanges.seq} < ${page.cursor.v}` : undefined;
  const rows = await scope.db.all<{ json: JsonText<SegmentChangeView>; v: number; id: string }>(
    sql`select ${changeJson} as "json", ${segmentChanges.seq} as v, ${segmentChanges.contactId} as id from ${segmentChanges}
      where ${scope.ws.scope(segmentChanges, and(eq(segmentChanges.segmentId, id), before))}
      order by ${desc(segmentChanges.seq)} limit ${page.limit + 1}`,
  );
  return pageOf(rows, page.limit);
}
