import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { customFieldDefinitions, segments, workspaces } from '../../../db/schema';
import type { CustomFieldDefinition } from '../../domain/custom-fields';
import { newId } from '../../domain/ids';
import { checkDefinition, customFieldSpec, operatorsOf, SEGMENT_FIELDS, type Context, type FieldSpec, type SegmentDefinition } from '../../domain/segments';
import type { SegmentCreate, SegmentFieldsView, SegmentUpdate, SegmentView } from '../../schemas/segments';
import { AppError, invalid, notFound } from '../errors';
import { embedded, isoTime, jsonObject, type JsonText } from '../json-views';
import { restoreRecord, trashRecord } from '../lifecycle';
import type { Scope } from '../scope';

// Saved segments: a name and a definition (domain/segments.ts), with the
// members their last refresh found (services/segments/refresh.ts).

// A workspace keeps at most this many live segments: each one is
// refreshed every night.
export const MAX_SEGMENTS = 500;

const segmentJson = jsonObject<SegmentView>({
  id: segments.id,
  name: segments.name,
  description: segments.description,
  definition: embedded(segments.definition),
  memberCount: segments.memberCount,
  refreshedAt: isoTime(segments.refreshedAt),
  createdBy: segments.createdBy,
  createdAt: isoTime(segments.createdAt),
  updatedAt: isoTime(segments.updatedAt),
  deletedAt: isoTime(segments.deletedAt),
});

const kind = { table: segments, type: 'segment', label: 'Segment' };

const live = (scope: Scope, id: string) => scope.ws.scope(segments, and(eq(segments.id, id), isNull(segments.deletedAt)));

// What a definition is checked against: the workspace's contact custom
// fields and the currency its scores are kept in.
export async function definitionContext(scope: Scope): Promise<Context> {
  const [custom, [workspace]] = await Promise.all([
    scope.db
      .select({ key: customFieldDefinitions.key, label: customFieldDefinitions.label, type: customFieldDefinitions.type, options: customFieldDefinitions.options })
      .from(customFieldDefinitions)
      .where(scope.ws.scope(customFieldDefinitions, eq(customFieldDefinitions.entity, 'contact'))),
    scope.db.select({ currency: workspaces.reportingCurrency }).from(workspaces).where(eq(workspaces.id, scope.ws.workspaceId)),
  ]);
  return { custom: custom as CustomFieldDefinition[], reportingCurrency: workspace?.currency ?? 'USD' };
}

// A definition fit to compile, or a 400 naming each bad node, before any
// SQL is built from it.
export async function checkedContext(scope: Scope, definition: SegmentDefinition, at = 'definition'): Promise<Context> {
  const ctx = await definitionContext(scope);
  const issues = checkDefinition(definition, ctx, at);
  if (issues.length) {
    throw new AppError(400, 'invalid_request', 'The segment definition is not valid', issues.map((i) => ({ ...i, code: 'custom' })));
  }
  return ctx;
}

const fieldView = (f: FieldSpec) => ({
  key: f.key,
  label: f.label,
  group: f.group,
  type: f.type,
  operators: [...operatorsOf(f)],
  options: f.options ? [...f.options] : null,
  ref: f.ref ?? null,
  windowed: !!f.windowed,
});

export async function segmentFields(scope: Scope): Promise<SegmentFieldsView> {
  const ctx = await definitionContext(scope);
  return { data: [...SEGMENT_FIELDS, ...ctx.custom.map(customFieldSpec)].map(fieldView), reportingCurrency: ctx.reportingCurrency };
}

// The live segments by name, or the trash, most recently deleted first.
export async function listSegments(scope: Scope, { deleted = false } = {}): Promise<JsonText<{ data: SegmentView[] }>> {
  const [where, order] = deleted
    ? [isNotNull(segments.deletedAt), sql`${desc(segments.deletedAt)}, ${asc(segments.id)}`]
    : [isNull(segments.deletedAt), sql`${asc(sql`lower(${segments.name})`)}, ${asc(segments.id)}`];
  const [row] = await scope.db.all<{ json: string | null }>(
    sql`select json_group_array(json(s)) as "json" from (select ${segmentJson} as s from ${segments}
      where ${scope.ws.scope(segments, where)} order by ${order})`,
  );
  return `{"data":${row?.json ?? '[]'}}`;
}

const answer = (scope: Scope, id: string) => scope.db.all<{ json: JsonText<SegmentView> }>(sql`select ${segmentJson} as "json" from ${segments} where ${live(scope, id)}`);

export async function getSegment(scope: Scope, id: string): Promise<JsonText<SegmentView>> {
  const [row] = await answer(scope, id);
  if (!row) throw notFound('Segment');
  return row.json;
}

// The stored definition of a live segment, for the refresh and the pages.
export async function storedSegment(scope: Scope, id: string): Promise<{ id: string; definition: SegmentDefinition }> {
  const [row] = await scope.db.select({ id: segments.id, definition: segments.definition }).from(segments).where(live(scope, id));
  if (!row) throw notFound('Segment');
  return row;
}

export async function createSegment(scope: Scope, input: SegmentCreate): Promise<JsonText<SegmentView>> {
  await checkedContext(scope, input.definition);
  const id = newId('segment', scope.now);
  const existing = sql`(select count(*) from ${segments} where ${scope.ws.scope(segments, isNull(segments.deletedAt))})`;
  const [, [created]] = await scope.ws.batch([
    scope.ws.insertWhere(
      segments,
      {
        id,
        name: input.name,
        description: input.description ?? null,
        definition: input.definition,
        memberCount: 0,
        createdBy: scope.actor.actorId,
        createdAt: scope.now,
        updatedAt: scope.now,
      },
      sql`${existing} < ${MAX_SEGMENTS}`,
    ),
    answer(scope, id),
  ]);
  if (!created) throw invalid(`A workspace keeps at most ${MAX_SEGMENTS} segments; delete one first`);
  return created.json;
}

export async function updateSegment(scope: Scope, id: string, input: SegmentUpdate): Promise<JsonText<SegmentView>> {
  if (input.definition) await checkedContext(scope, input.definition);
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.definition !== undefined ? { definition: input.definition } : {}),
    updatedAt: scope.now,
  };
  const [result, [updated]] = await scope.ws.batch([scope.ws.update(segments, set, and(eq(segments.id, id), isNull(segments.deletedAt))!), answer(scope, id)]);
  if (result.rowsAffected === 0 || !updated) throw notFound('Segment');
  return updated.json;
}

// To the trash: it leaves the list and the nightly refresh; its members
// and history stay with it, and it can be restored until the nightly purge
// erases it after the undo window.
export const deleteSegment = (scope: Scope, id: string): Promise<void> => trashRecord(scope, kind, id);

const segmentJsonOf = (scope: Scope, id: string): SQL<JsonText<SegmentView> | null> =>
  sql`(select ${segmentJson} from ${segments} where ${scope.ws.scope(segments, eq(segments.id, id))})`;

// Back as it was, members and history included, if the workspace has room
// for another live segment.
export async function restoreSegment(scope: Scope, id: string): Promise<JsonText<SegmentView>> {
  const liveCount = await scope.db.$count(segments, scope.ws.scope(segments, isNull(segments.deletedAt)));
  if (liveCount >= MAX_SEGMENTS) throw invalid(`A workspace keeps at most ${MAX_SEGMENTS} segments; delete one first`);
  return restoreRecord(scope, kind, id, segmentJsonOf);
}
