import { and, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { auditLog, bulkOperationItems, bulkOperations, contacts, memberships } from '../../../db/schema';
import { newId, ulidTime } from '../../domain/ids';
import { BULK_CHUNK, type BulkStatus, type ListEntity } from '../../domain/lists';
import type { Queues } from '../../jobs/queues';
import type { BulkOperationView } from '../../schemas/lists';
import { companyList } from '../companies/list';
import { contactList } from '../contacts/list';
import { orderList } from '../orders/list';
import { productList } from '../products/list';
import { conflict, invalid, notFound } from '../errors';
import { embedded, isoTime, jsonObject, type JsonText } from '../json-views';
import { valuesOf } from '../lists/conditions';
import type { ListSource, ListShape } from '../lists/source';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { insertedIds, nudge, outboxInsert } from '../webhooks/outbox';
import { ENTITY_TYPES, planAction, type BulkAction, type Table } from './actions';
import { bulkEvents } from './events';

// Bulk operations: an action over a selection, done in chunks of BULK_CHUNK
// records, each chunk one batch (one round trip, one transaction) that
// writes the records, one audit row per record it changes (with the
// operation's id as bulkId) and the operation's progress. The request that
// starts it runs the first chunk; a larger selection continues as a
// maintenance queue job (functions/jobs/maintenance.ts), a chunk after
// another, from where the last committed chunk ended, so a redelivered or
// doubled message neither skips nor repeats a record.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySource = ListSource<any, ListShape>;
const SOURCES: Record<ListEntity, AnySource> = { contact: contactList, company: companyList, product: productList, order: orderList };

// How an operation finds its records, stored with it so the queue job
// rebuilds exactly the SQL the request ran (owner "me" already resolved).
export type StoredSelection =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'filter'; shape: ListShape; values: Record<string, unknown>; except: string[] }
  | { kind: 'undo'; of: string };

export type Selection<F> = { ids?: string[]; filter?: F; except?: string[] };

const opWhere = (scope: Scope, id: string) => scope.ws.scope(bulkOperations, eq(bulkOperations.id, id));
const opColumn = (scope: Scope, id: string, column: SQL | typeof bulkOperations.cursor) =>
  sql`(select ${column} from ${bulkOperations} where ${opWhere(scope, id)})`;

export const operationJson = jsonObject<BulkOperationView>({
  id: bulkOperations.id,
  entity: bulkOperations.entity,
  action: embedded(bulkOperations.action),
  status: bulkOperations.status,
  total: bulkOperations.total,
  processed: bulkOperations.processed,
  changed: bulkOperations.changed,
  undoOf: bulkOperations.undoOf,
  undoneBy: bulkOperations.undoneBy,
  createdAt: isoTime(bulkOperations.createdAt),
  finishedAt: isoTime(bulkOperations.finishedAt),
});

// The records an operation's selection holds, as a condition on its table.
function selectionSql(scope: Scope, source: AnySource, selection: StoredSelection): SQL {
  const table = source.table;
  switch (selection.kind) {
    case 'ids':
      return and(isNull(table.deletedAt), sql`${table.id} in (select value from json_each(${JSON.stringify(selection.ids)}))`)!;
    case 'filter':
      return and(
        source.where(scope.ws.scope, selection.shape, valuesOf(selection.values)),
        selection.except.length ? sql`${table.id} not in (select value from json_each(${JSON.stringify(selection.except)}))` : undefined,
      )!;
    case 'undo': {
      // Exactly what that operation moved to the trash and is still there
      // from it: a record restored and deleted again since is another story.
      const items = sql`select ${bulkOperationItems.recordId} from ${bulkOperationItems} where ${scope.ws.scope(
        bulkOperationItems,
        eq(bulkOperationItems.operationId, selection.of),
      )}`;
      return and(
        isNotNull(table.deletedAt),
        sql`${table.deletedAt} = ${opColumn(scope, selection.of, sql`${bulkOperations.createdAt}`)}`,
        sql`${table.id} in (${items})`,
      )!;
    }
  }
}

// One chunk: the next BULK_CHUNK records of the selection past the cursor,
// as one batch. The chunk's bounds are written to the operation first, so
// the statements after it (audit rows, remembered records, the update, the
// progress) all work on the same records, read inside the transaction.
// The records it changed join the outbound webhook outbox before the
// progress moves the cursor (`outboxAt`: that statement's place).
type Chunk = { statements: BatchItem<'sqlite'>[]; outboxAt: number | null };
function chunkStatements(scope: Scope, source: AnySource, opId: string, action: BulkAction, selection: StoredSelection): Chunk {
  const table = source.table as Table;
  const { column: key, numeric } = source.chunkKey;
  const asKey = (value: SQL) => (numeric ? sql`cast(${value} as integer)` : value);
  const cursor = sql`coalesce(${asKey(opColumn(scope, opId, sql`${bulkOperations.cursor}`))}, ${numeric ? -1 : ''})`;
  const end = asKey(opColumn(scope, opId, sql`${bulkOperations.chunkEnd}`));
  const matches = selectionSql(scope, source, selection);
  const plan = planAction(scope, table, action, opColumn(scope, opId, sql`${bulkOperations.createdAt}`));
  const inChunk = and(matches, sql`${key} > ${cursor}`, sql`${key} <= ${end}`)!;
  const changing = scope.ws.scope(table, and(inChunk, plan.changes));
  const running = and(opWhere(scope, opId), eq(bulkOperations.status, 'running'));

  const next = sql`select ${key} as k from ${table} where ${scope.ws.scope(table, and(matches, sql`${key} > ${cursor}`))} order by ${key} limit ${BULK_CHUNK}`;
  const bounds = scope.db.run(
    sql`update ${bulkOperations} set (chunk_end, chunk_rows) = (select max(k), count(*) from (${next})) where ${running}`,
  );
  const counted = scope.db.run(
    sql`update ${bulkOperations} set chunk_changes = (select count(*) from ${table} where ${changing}) where ${running}`,
  );
  const auditId = sql`'aud_' || ${ulidTime(scope.now)} || substr(hex(randomblob(8)), 1, 16)`;
  const changes = plan.describe ? sql`json_object(${plan.describe}, 'bulkId', ${opId})` : sql`json_object('bulkId', ${opId})`;
  const audits = scope.db.run(
    sql`insert into ${auditLog} (id, workspace_id, actor_id, action, entity_type, entity_id, changes, at)
      select ${auditId}, ${table.workspaceId}, ${opColumn(scope, opId, sql`${bulkOperations.actorId}`)}, ${plan.audit},
        ${ENTITY_TYPES[source.entity]}, ${table.id}, ${changes}, ${scope.now}
      from ${table} where ${changing}`,
  );
  const remembered = plan.remembers
    ? [
        scope.db.run(
          sql`insert or ignore into ${bulkOperationItems} (workspace_id, operation_id, record_id)
            select ${table.workspaceId}, ${opId}, ${table.id} from ${table} where ${changing}`,
        ),
      ]
    : [];
  const write = scope.db
    .update(table as typeof contacts)
    .set(plan.set as never)
    .where(changing);
  const done = sql`chunk_end is null or chunk_rows < ${BULK_CHUNK}`;
  const progress = scope.db.run(
    sql`update ${bulkOperations} set
      cursor = coalesce(chunk_end, cursor),
      processed = processed + coalesce(chunk_rows, 0),
      changed = changed + coalesce(chunk_changes, 0),
      status = case when ${done} then 'done' else status end,
      finished_at = case when ${done} then ${scope.now} else finished_at end,
      updated_at = ${scope.now},
      chunk_end = null, chunk_rows = null, chunk_changes = null
      where ${running}`,
  );
  const events = bulkEvents(scope, source.entity, action, (k) => sql`${k} > ${cursor} and ${k} <= ${end}`);
  const outbox = events ? [outboxInsert(scope, events)] : [];
  const statements = [bounds, counted, audits, ...remembered, write, ...outbox, progress];
  return { statements, outboxAt: events ? statements.length - 2 : null };
}

type Answer = { json: JsonText<BulkOperationView>; status: BulkStatus };
const answerOf = (scope: Scope, opId: string) =>
  scope.db.all<Answer>(sql`select ${operationJson} as "json", ${bulkOperations.status} as "status" from ${bulkOperations} where ${opWhere(scope, opId)}`);

async function runBatch(scope: Scope, statements: BatchItem<'sqlite'>[]): Promise<unknown[]> {
  return (await scope.ws.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])) as unknown[];
}

// A chunk's batch between what goes before and after it; then the sender
// is nudged for the deliveries it wrote (one send: 2,000 of them, the rest
// left to the sweep, so a chunk costs at most two subrequests).
async function runChunk(scope: Scope, queues: Queues, before: BatchItem<'sqlite'>[], chunk: Chunk, after: BatchItem<'sqlite'>[]) {
  const results = await runBatch(scope, [...before, ...chunk.statements, ...after]);
  if (chunk.outboxAt !== null) await nudge(queues, scope.ws.workspaceId, insertedIds(results[before.length + chunk.outboxAt]), 1);
  return results;
}

export type Started = { status: 200 | 202; json: JsonText<BulkOperationView> };

const MAINTENANCE_QUEUE = 'maintenance' as const;
export const bulkMessage = (workspaceId: string, operationId: string) => ({ type: 'bulk-operation' as const, workspaceId, operationId });

function storedSelection<F>(scope: Scope, source: ListSource<F, ListShape>, selection: Selection<F>): StoredSelection {
  if (selection.ids) return { kind: 'ids', ids: [...new Set(selection.ids)] };
  const { shape, values } = source.plan(scope, selection.filter!, false);
  return { kind: 'filter', shape, values, except: [...new Set(selection.except ?? [])] };
}

// Starts an operation and runs its first chunk, in one batch; answers 200
// when that was all of it, 202 when a queue job carries on.
export async function startBulk<F>(
  scope: Scope,
  queues: Queues,
  source: ListSource<F, ListShape>,
  request: { selection: Selection<F>; action: BulkAction },
): Promise<Started> {
  const { action } = request;
  const id = newId('bulkOperation', scope.now);
  const stored = storedSelection(scope, source, request.selection);
  const table = source.table as Table;
  const total = sql`(select count(*) from ${table} where ${scope.ws.scope(table, selectionSql(scope, source as AnySource, stored))})`;
  const ownerIsMember = action.type === 'setOwner' && action.ownerId ? scope.ws.exists(memberships, eq(memberships.userId, action.ownerId)) : sql`1`;
  const insert = scope.db.run(
    sql`insert into ${bulkOperations} (id, workspace_id, entity, actor_id, action, selection, status, total, processed, changed, created_at, updated_at)
      select ${id}, ${scope.ws.workspaceId}, ${source.entity}, ${scope.actor.actorId}, ${JSON.stringify(action)},
        ${JSON.stringify({ rule: request.selection, plan: stored })}, 'running', ${total}, 0, 0, ${scope.now}, ${scope.now}
      where ${ownerIsMember}`,
  );
  const results = await runChunk(scope, queues, [insert], chunkStatements(scope, source as AnySource, id, action, stored), [answerOf(scope, id)]);
  const [answer] = results[results.length - 1] as Answer[];
  if (!answer) throw invalid('The owner must be a member of this workspace', [{ path: 'action.ownerId', message: 'not a member' }]);
  if (answer.status !== 'running') return { status: 200, json: answer.json };
  await queues.send(MAINTENANCE_QUEUE, bulkMessage(scope.ws.workspaceId, id));
  return { status: 202, json: answer.json };
}

const operationById = preparedReads((db, scope) =>
  db
    .select({ json: operationJson })
    .from(bulkOperations)
    .where(scope(bulkOperations, eq(bulkOperations.id, sql.placeholder('id')))),
);

export async function getBulkOperation(scope: Scope, id: string): Promise<JsonText<BulkOperationView>> {
  const [row] = await scope.ws.read(operationById, undefined, { id });
  if (!row) throw notFound('Bulk operation');
  return row.json;
}

type Stored = { entity: ListEntity; action: string; selection: string; status: BulkStatus; undoneBy: string | null };
async function readOperation(scope: Scope, id: string): Promise<Stored | undefined> {
  const [row] = await scope.db.all<Stored>(
    sql`select ${bulkOperations.entity} as "entity", ${bulkOperations.action} as "action", ${bulkOperations.selection} as "selection",
      ${bulkOperations.status} as "status", ${bulkOperations.undoneBy} as "undoneBy" from ${bulkOperations} where ${opWhere(scope, id)}`,
  );
  return row;
}

// Undo of a bulk delete: a new operation that restores, in chunks like any
// other, the records that delete moved to the trash and that are still
// there from it. A delete still running stops (cancelled) first, in the
// same batch, so nothing is deleted after the Undo.
export async function undoBulk(scope: Scope, queues: Queues, id: string): Promise<Started> {
  const original = await readOperation(scope, id);
  if (!original) throw notFound('Bulk operation');
  if ((JSON.parse(original.action) as BulkAction).type !== 'delete') throw conflict('Only a bulk delete can be undone');
  if (original.undoneBy) throw conflict('This operation was already undone');
  const source = SOURCES[original.entity];
  const restoreId = newId('bulkOperation', scope.now);
  const stored: StoredSelection = { kind: 'undo', of: id };
  const action: BulkAction = { type: 'restore' };
  const items = sql`(select count(*) from ${bulkOperationItems} where ${scope.ws.scope(bulkOperationItems, eq(bulkOperationItems.operationId, id))})`;
  const undoable = and(opWhere(scope, id), isNull(bulkOperations.undoneBy));
  const insert = scope.db.run(
    sql`insert into ${bulkOperations} (id, workspace_id, entity, actor_id, action, selection, status, total, processed, changed, undo_of, created_at, updated_at)
      select ${restoreId}, ${scope.ws.workspaceId}, ${original.entity}, ${scope.actor.actorId}, ${JSON.stringify(action)},
        ${JSON.stringify({ rule: { undo: id }, plan: stored })}, 'running', ${items}, 0, 0, ${id}, ${scope.now}, ${scope.now}
      where exists (select 1 from ${bulkOperations} where ${undoable})`,
  );
  const mark = scope.db.run(
    sql`update ${bulkOperations} set undone_by = ${restoreId},
      status = case when status = 'running' then 'cancelled' else status end,
      finished_at = coalesce(finished_at, ${scope.now}), updated_at = ${scope.now}
      where ${undoable}`,
  );
  const results = await runChunk(scope, queues, [insert, mark], chunkStatements(scope, source, restoreId, action, stored), [answerOf(scope, restoreId)]);
  const [answer] = results[results.length - 1] as Answer[];
  if (!answer) throw conflict('This operation was already undone');
  if (answer.status !== 'running') return { status: 200, json: answer.json };
  await queues.send(MAINTENANCE_QUEUE, bulkMessage(scope.ws.workspaceId, restoreId));
  return { status: 202, json: answer.json };
}

// The queue job: up to CHUNKS_PER_MESSAGE chunks, then a continuation if
// the operation is still running. One read, the chunks' batches and their
// webhook nudges, and the send: within the maintenance queue's budget per
// message.
export const CHUNKS_PER_MESSAGE = 40;
export const BULK_SUBREQUESTS = 1 + CHUNKS_PER_MESSAGE * 2 + 1;

export async function continueBulk(
  deps: { now: () => number; queues: Queues },
  scopeAt: (now: number) => Scope,
  operationId: string,
): Promise<{ chunks: number; continued: boolean }> {
  const first = scopeAt(deps.now());
  const op = await readOperation(first, operationId);
  if (!op || op.status !== 'running') return { chunks: 0, continued: false };
  const source = SOURCES[op.entity];
  const action = JSON.parse(op.action) as BulkAction;
  const { plan } = JSON.parse(op.selection) as { plan: StoredSelection };
  for (let chunk = 1; chunk <= CHUNKS_PER_MESSAGE; chunk++) {
    const scope = scopeAt(deps.now());
    const results = await runChunk(scope, deps.queues, [], chunkStatements(scope, source, operationId, action, plan), [answerOf(scope, operationId)]);
    const [answer] = results[results.length - 1] as Answer[];
    if (answer?.status !== 'running') return { chunks: chunk, continued: false };
  }
  await deps.queues.send(MAINTENANCE_QUEUE, bulkMessage(first.ws.workspaceId, operationId));
  return { chunks: CHUNKS_PER_MESSAGE, continued: true };
}
