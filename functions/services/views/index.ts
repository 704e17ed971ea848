import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { memberships, savedViews, users } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { canChangeView, type ListEntity, type ViewVisibility } from '../../domain/lists';
import type { Role } from '../../domain/permissions';
import { VIEW_STATES, type ViewCreate, type ViewUpdate, type ViewView } from '../../schemas/views';
import { AppError, forbidden, invalid, notFound } from '../errors';
import { embedded, isoTime, jsonObject, type JsonText } from '../json-views';
import type { Scope } from '../scope';

// Saved views (schemas/views.ts, domain/lists.ts canChangeView): each
// member's own, private or shared with the workspace. Nobody sees another
// member's private view, so for them it does not exist (404).

// A member can keep this many views per list.
export const MAX_VIEWS = 100;

type Member = { userId: string; role: Role };

function memberOf(scope: Scope): Member {
  const { principal } = scope.actor;
  if (principal.kind !== 'user') throw forbidden('Saved views belong to members; an API key has none');
  return { userId: principal.userId, role: principal.role };
}

const KEEPERS: Role[] = ['owner', 'admin', 'manager'];

function viewJson(member: Member) {
  const ownerName = sql`(select ${users.name} from ${users} join ${memberships} on ${and(
    eq(memberships.userId, users.id),
    eq(memberships.workspaceId, savedViews.workspaceId),
  )} where ${eq(users.id, savedViews.ownerId)})`;
  const mine = sql`${savedViews.ownerId} = ${member.userId}`;
  const keeper = KEEPERS.includes(member.role) ? 1 : 0;
  return jsonObject<ViewView>({
    id: savedViews.id,
    entity: savedViews.entity,
    name: savedViews.name,
    visibility: savedViews.visibility,
    ownerId: savedViews.ownerId,
    ownerName,
    state: embedded(savedViews.state),
    mine: sql`json(case when ${mine} then 'true' else 'false' end)`,
    canChange: sql`json(case when ${mine} or (${savedViews.visibility} = 'workspace' and ${keeper}) then 'true' else 'false' end)`,
    createdAt: isoTime(savedViews.createdAt),
    updatedAt: isoTime(savedViews.updatedAt),
  });
}

// What a member may see: their own views and the workspace's shared ones.
const visibleTo = (member: Member) => or(eq(savedViews.ownerId, member.userId), eq(savedViews.visibility, 'workspace'));

export async function listViews(scope: Scope, entity: ListEntity): Promise<JsonText<{ data: ViewView[] }>> {
  const member = memberOf(scope);
  const [row] = await scope.db.all<{ json: string | null }>(
    sql`select json_group_array(json(v)) as "json" from (select ${viewJson(member)} as v from ${savedViews}
      where ${scope.ws.scope(savedViews, and(eq(savedViews.entity, entity), visibleTo(member)))}
      order by ${asc(sql`lower(${savedViews.name})`)}, ${asc(savedViews.id)})`,
  );
  return `{"data":${row?.json ?? '[]'}}`;
}

const answer = (scope: Scope, member: Member, id: string) =>
  scope.db.all<{ json: JsonText<ViewView> }>(
    sql`select ${viewJson(member)} as "json" from ${savedViews} where ${scope.ws.scope(savedViews, eq(savedViews.id, id))}`,
  );

export async function createView(scope: Scope, input: ViewCreate): Promise<JsonText<ViewView>> {
  const member = memberOf(scope);
  const id = newId('savedView', scope.now);
  const theirs = sql`(select count(*) from ${savedViews} where ${scope.ws.scope(
    savedViews,
    and(eq(savedViews.entity, input.entity), eq(savedViews.ownerId, member.userId)),
  )})`;
  const [, [created]] = await scope.ws.batch([
    scope.ws.insertWhere(
      savedViews,
      {
        id,
        entity: input.entity,
        ownerId: member.userId,
        name: input.name,
        visibility: input.visibility,
        state: input.state,
        createdAt: scope.now,
        updatedAt: scope.now,
      },
      sql`${theirs} < ${MAX_VIEWS}`,
    ),
    answer(scope, member, id),
  ]);
  if (!created) throw invalid(`A member keeps at most ${MAX_VIEWS} views of a list; delete one first`);
  return created.json;
}

type StoredView = { entity: ListEntity; ownerId: string; visibility: ViewVisibility; updatedAt: number };

// The view as its checks need it, if the member may see it at all.
async function visibleView(scope: Scope, member: Member, id: string): Promise<StoredView> {
  const [view] = await scope.db
    .select({ entity: savedViews.entity, ownerId: savedViews.ownerId, visibility: savedViews.visibility, updatedAt: savedViews.updatedAt })
    .from(savedViews)
    .where(scope.ws.scope(savedViews, and(eq(savedViews.id, id), visibleTo(member))));
  if (!view) throw notFound('View');
  if (!canChangeView(view, member)) throw forbidden('Only its maker or a manager changes a shared view');
  return view;
}

// The change is written only if the view is still as it was read (same
// maker, visibility and last update), so two edits at once do not both win.
const asRead = (view: StoredView): SQL =>
  and(eq(savedViews.ownerId, view.ownerId), eq(savedViews.visibility, view.visibility), eq(savedViews.updatedAt, view.updatedAt))!;

export async function updateView(scope: Scope, id: string, input: ViewUpdate): Promise<JsonText<ViewView>> {
  const member = memberOf(scope);
  const view = await visibleView(scope, member, id);
  let state = input.state;
  if (state !== undefined) {
    const parsed = VIEW_STATES[view.entity].safeParse(state);
    if (!parsed.success) {
      throw new AppError(400, 'invalid_request', `The state is not one of a ${view.entity} list`, parsed.error.issues.map((i) => ({ path: ['state', ...i.path].join('.'), message: i.message, code: i.code })));
    }
    state = parsed.data;
  }
  // Making a shared view private takes it from everyone else: its maker's call.
  if (input.visibility === 'private' && view.visibility === 'workspace' && view.ownerId !== member.userId) {
    throw forbidden('Only its maker makes a shared view private');
  }
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
    ...(state !== undefined ? { state } : {}),
    updatedAt: Math.max(scope.now, view.updatedAt + 1),
  };
  const [result, [updated]] = await scope.ws.batch([
    scope.ws.update(savedViews, set, and(eq(savedViews.id, id), asRead(view))!),
    answer(scope, member, id),
  ]);
  if (result.rowsAffected === 0) throw new AppError(409, 'conflict', 'The view changed while this request ran; load it again and retry');
  return updated!.json;
}

export async function deleteView(scope: Scope, id: string): Promise<void> {
  const member = memberOf(scope);
  const view = await visibleView(scope, member, id);
  const result = await scope.ws.delete(savedViews, and(eq(savedViews.id, id), asRead(view))!);
  if (result.rowsAffected === 0) throw new AppError(409, 'conflict', 'The view changed while this request ran; load it again and retry');
}
