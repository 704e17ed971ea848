import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { auditLog, importChunks, importItems, importRejects, imports } from '../../../db/schema';
import { parseCsv, type CsvRecord, type Delimiter } from '../../domain/csv/parse';
import { newId, newIds } from '../../domain/ids';
import { ROWS_PER_STEP, type DedupeMode, type ImportEntity } from '../../domain/imports';
import type { Scope } from '../scope';
import { importerOf } from './index';
import type { AnyImporter, Matched as MatchFlags } from './importer';
import { rowsParam } from '../sql-rows';

// One step of an import: the next ROWS_PER_STEP records of the stored file
// from the cursor, validated, matched to existing records and written as
// one batch (one transaction) together with the ledger, the rejected rows,
// an audit row and the cursor's move. Every write in the batch is gated on
// the cursor still being where this step read it, so a step that runs
// twice (a redelivered or doubled message) writes once.

export type Running = {
  id: string;
  entity: ImportEntity;
  actorId: string;
  delimiter: Delimiter;
  headers: string[];
  mapping: (string | null)[];
  dedupe: DedupeMode;
  chunks: number;
  cursorChunk: number;
  cursorOffset: number;
  cursorLine: number;
};

type Rejected = { line: number; reason: string; fields: string[] };
type Valid = { record: CsvRecord; records: CsvRecord[]; input: unknown; keys: string[] };

const cellsOf = (fields: string[], mapping: (string | null)[]) => {
  const cells: Record<string, string> = {};
  mapping.forEach((field, i) => {
    const value = fields[i]?.trim();
    if (field && value) cells[field] = value;
  });
  return cells;
};

function reasonOf(importer: AnyImporter, issues: { path: PropertyKey[]; message: string }[]): string {
  const labels = Object.entries(importer.pathLabels).sort((a, b) => b[0].length - a[0].length);
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const label = labels.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1] ?? (path || 'Row');
      return `${label}: ${issue.message}`;
    })
    .join('; ');
}

// The records of this step, each rejected or valid. Rows of one key are
// merged into one when the importer merges (an order's lines); otherwise
// the step ends before a valid row whose key an earlier row of the step
// has (that row is matched against what the earlier one wrote, in the
// next step).
function checkRecords(importer: AnyImporter, state: Running, records: CsvRecord[]) {
  const rejected: Rejected[] = [];
  const valid: Valid[] = [];
  const seen = new Map<string, Valid>();
  let taken = 0;
  for (const record of records) {
    if (record.fields.length !== state.headers.length) {
      rejected.push({ line: record.line, reason: `Has ${record.fields.length} fields where the header has ${state.headers.length}`, fields: record.fields });
    } else {
      const parsed = importer.schema.safeParse(importer.toInput(cellsOf(record.fields, state.mapping)));
      if (!parsed.success) rejected.push({ line: record.line, reason: reasonOf(importer, parsed.error.issues), fields: record.fields });
      else {
        const keys = importer.keysOf(parsed.data);
        const earlier = keys.map((k) => seen.get(k)).find(Boolean);
        if (earlier && importer.merge) {
          earlier.input = importer.merge(earlier.input, parsed.data);
          earlier.records.push(record);
        } else {
          if (earlier) break;
          const row = { record, records: [record], input: parsed.data, keys };
          keys.forEach((k) => seen.set(k, row));
          valid.push(row);
        }
      }
    }
    taken += 1;
  }
  return { rejected, valid, taken };
}

export type StepResult = { finished: boolean };

type Updating = { existing: { id: string } & MatchFlags; input: unknown };
// `skips`: the records skipped, kept in the ledger when rows of a record
// may come in several steps (an importer that merges), so a later step
// does not count it again.
type Matched = { creates: { id: string; input: unknown }[]; updates: Updating[]; skipped: number; skips: string[]; refused: Rejected[] };

// The valid rows as creates, updates, skips and refusals. Two rows of the
// step that match one record through different keys: the later row and
// those after it wait for the next step (`stopAt`, the index of that row).
function matchRows(importer: AnyImporter, state: Running, valid: Valid[], existing: Map<string, { id: string } & MatchFlags>, now: number): Matched & { stopAt: number | null } {
  const matched: Matched = { creates: [], updates: [], skipped: 0, skips: [], refused: [] };
  const updating = new Set<string>();
  const ids = newIds(importer.idKind, valid.length, now);
  const refuse = (row: Valid, reason: string) => matched.refused.push(...row.records.map((r) => ({ line: r.line, reason, fields: r.fields })));
  for (const [i, row] of valid.entries()) {
    const match = row.keys.map((k) => existing.get(k)).find(Boolean);
    const skip = state.dedupe === 'skip' && match && !match.own;
    const refusal = skip ? null : (importer.check?.(row.input, match) ?? null);
    if (skip && match.trashed) refuse(row, `Matches ${/^[aeiou]/.test(importer.entity) ? 'an' : 'a'} ${importer.entity} in the trash: restore it, or import with "update" to bring it back`);
    else if (skip) {
      if (!match.skipped) matched.skipped += 1;
      if (importer.merge) matched.skips.push(match.id);
    }
    else if (refusal) refuse(row, refusal);
    else if (!match) matched.creates.push({ id: ids[matched.creates.length]!, input: row.input });
    else if (updating.has(match.id)) return { ...matched, stopAt: i };
    else {
      updating.add(match.id);
      matched.updates.push({ existing: match, input: row.input });
    }
  }
  return { ...matched, stopAt: null };
}

export async function importStep(scope: Scope, state: Running, text: string): Promise<StepResult> {
  const importer = importerOf(state.entity);
  const { records, next, line } = parseCsv(text, { delimiter: state.delimiter, from: state.cursorOffset, line: state.cursorLine, limit: ROWS_PER_STEP });
  const checked = checkRecords(importer, state, records);
  const existing = await importer.findExisting(scope, checked.valid.flatMap((v) => v.keys), state.id);
  const { stopAt, refused, ...matched } = matchRows(importer, state, checked.valid, existing, scope.now);
  const stop = stopAt === null ? null : checked.valid[stopAt]!.record;
  const taken = stop ? records.indexOf(stop) : checked.taken;
  const rejected = [...checked.rejected, ...refused].filter((r) => !stop || r.line < stop.line).sort((a, b) => a.line - b.line);

  // Where the next step starts.
  const chunkDone = taken === records.length && next >= text.length;
  const nextLine = taken === records.length ? line : records[taken]!.line;
  const cursor = chunkDone
    ? { chunk: state.cursorChunk + 1, offset: 0, line: nextLine }
    : { chunk: state.cursorChunk, offset: taken === 0 ? state.cursorOffset : records[taken - 1]!.end, line: nextLine };
  const finished = chunkDone && cursor.chunk >= state.chunks;
  const statements = stepStatements(scope, importer, state, { ...matched, rejected, taken, cursor, finished });
  await scope.ws.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return { finished };
}

type Step = Omit<Matched, 'refused'> & { rejected: Rejected[]; taken: number; cursor: { chunk: number; offset: number; line: number }; finished: boolean };

// The step's batch: every statement gated on the cursor this step read.
function stepStatements(scope: Scope, importer: AnyImporter, state: Running, step: Step): BatchItem<'sqlite'>[] {
  const { creates, updates, rejected, cursor, finished } = step;
  const ws = scope.ws.workspaceId;
  const here = sql`${imports.id} = ${state.id} and ${imports.workspaceId} = ${ws} and ${imports.status} = 'running'
    and ${imports.cursorChunk} = ${state.cursorChunk} and ${imports.cursorOffset} = ${state.cursorOffset}`;
  const guard = sql`exists (select 1 from ${imports} where ${here})`;
  const context = { guard, ownerId: state.actorId.startsWith('usr_') ? state.actorId : null, importId: state.id };
  const table = sql.identifier(importer.table);
  const before = sql.join([...importer.restorable.map((c) => sql`${c}, ${sql.identifier(c)}`), ...(importer.ledgerBefore ? [importer.ledgerBefore] : [])], sql`, `);
  // A record this import made, reached again by later rows, is not one it updated.
  const counts = { created: creates.length, updated: updates.filter((u) => !u.existing.own).length, skipped: step.skipped, rejected: rejected.length };
  const when = <T>(test: unknown, item: () => T) => (test ? [item()] : []);
  return [
    // The ledger reads each record as it is just before the update.
    ...when(updates.length, () =>
      scope.db.run(sql`insert or ignore into ${importItems} (workspace_id, import_id, record_id, action, before)
        select ${ws}, ${state.id}, id, 'updated', json_object(${before}) from ${table}
        where workspace_id = ${ws} and id in (select value from ${rowsParam(updates.map((u) => u.existing.id))}) and ${guard}`),
    ),
    ...importer.updateMany(scope, updates, context),
    ...importer.createMany(scope, creates, context),
    ...when(creates.length, () =>
      scope.db.run(sql`insert or ignore into ${importItems} (workspace_id, import_id, record_id, action, before)
        select ${ws}, ${state.id}, j.value, 'created', null from ${rowsParam(creates.map((c) => c.id))} as j where ${guard}`),
    ),
    ...when(step.skips.length, () =>
      scope.db.run(sql`insert or ignore into ${importItems} (workspace_id, import_id, record_id, action, before)
        select ${ws}, ${state.id}, j.value, 'skipped', null from ${rowsParam(step.skips)} as j where ${guard}`),
    ),
    ...when(rejected.length, () =>
      scope.db.run(sql`insert or ignore into ${importRejects} (workspace_id, import_id, line, reason, fields)
        select ${ws}, ${state.id}, j.value ->> '$.line', j.value ->> '$.reason', j.value -> '$.fields' from ${rowsParam(rejected)} as j where ${guard}`),
    ),
    auditRow(scope, state, 'import', { ...counts, lines: [state.cursorLine, cursor.line - 1] }, here),
    scope.db.run(sql`update ${imports} set cursor_chunk = ${cursor.chunk}, cursor_offset = ${cursor.offset}, cursor_line = ${cursor.line},
        processed = processed + ${step.taken}, created = created + ${counts.created}, updated = updated + ${counts.updated},
        skipped = skipped + ${counts.skipped}, rejected = rejected + ${counts.rejected},
        status = ${finished ? 'done' : 'running'}, finished_at = ${finished ? scope.now : null}, updated_at = ${scope.now}
      where ${here}`),
    // The file is not kept past its import.
    ...when(finished, () => dropChunks(scope, state.id, sql`status = 'done'`)),
  ];
}

// One audit row per step, naming the import; the ledger holds what it did
// to each record.
export function auditRow(scope: Scope, state: { id: string }, action: string, changes: Record<string, unknown>, here: SQL) {
  return scope.db.run(sql`insert into ${auditLog} (id, workspace_id, actor_id, action, entity_type, entity_id, changes, at)
    select ${newId('audit', scope.now)}, workspace_id, actor_id, ${action}, 'import', id, ${JSON.stringify(changes)}, ${scope.now}
    from ${imports} where ${here}`);
}

export const dropChunks = (scope: Scope, importId: string, when: SQL) =>
  scope.db.run(sql`delete from ${importChunks} where workspace_id = ${scope.ws.workspaceId} and import_id = ${importId}
    and exists (select 1 from ${imports} where ${imports.id} = ${importId} and ${imports.workspaceId} = ${scope.ws.workspaceId} and ${when})`);
