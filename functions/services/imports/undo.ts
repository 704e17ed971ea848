import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { importItems, imports } from '../../../db/schema';
import { UNDO_PER_STEP, type ImportEntity } from '../../domain/imports';
import type { Scope } from '../scope';
import { importerOf } from './index';
import { auditRow } from './run';

// Undo of an import, a step at a time over its ledger in record-id order:
// the records it created go to the trash (where they can still be
// restored), those it updated get back the columns the ledger kept. Each
// step is one batch gated on the undo cursor, like the import's own.

export type Undoing = { id: string; entity: ImportEntity; undoCursor: string | null };

export async function undoStep(scope: Scope, state: Undoing): Promise<{ finished: boolean }> {
  const importer = importerOf(state.entity);
  const ws = scope.ws.workspaceId;
  const after = state.undoCursor ?? '';
  const [window] = await scope.db.all<{ last: string | null; n: number }>(
    sql`select max(record_id) as "last", count(*) as "n" from (select record_id from ${importItems}
      where workspace_id = ${ws} and import_id = ${state.id} and record_id > ${after} order by record_id limit ${UNDO_PER_STEP})`,
  );
  const last = window?.last ?? null;
  const finished = !last || window!.n < UNDO_PER_STEP;
  const here = sql`${imports.id} = ${state.id} and ${imports.workspaceId} = ${ws} and ${imports.status} = 'undoing'
    and ${imports.undoCursor} is ${state.undoCursor}`;
  const guard = sql`exists (select 1 from ${imports} where ${here})`;
  const table = sql.identifier(importer.table);
  const inWindow = (action: 'created' | 'updated') =>
    sql`i.workspace_id = ${ws} and i.import_id = ${state.id} and i.action = ${action} and i.record_id > ${after} and i.record_id <= ${last}`;
  const restore = sql.join(
    importer.restorable.map((c) => sql`${sql.identifier(c)} = json_extract(i.before, ${`$.${c}`})`),
    sql`, `,
  );
  const statements: BatchItem<'sqlite'>[] = last
    ? [
        scope.db.run(sql`update ${table} set deleted_at = ${scope.now}, updated_at = ${scope.now}
          where workspace_id = ${ws} and deleted_at is null and id in (select i.record_id from ${importItems} as i where ${inWindow('created')}) and ${guard}`),
        scope.db.run(sql`update ${table} set ${restore} from ${importItems} as i
          where ${table}.id = i.record_id and ${table}.workspace_id = ${ws} and ${inWindow('updated')} and ${guard}`),
        ...(importer.undoMore?.(scope, { importId: state.id, inWindow, guard }) ?? []),
      ]
    : [];
  statements.push(
    auditRow(scope, state, 'undo-import', { through: last }, here),
    scope.db.run(sql`update ${imports} set undo_cursor = ${last ?? state.undoCursor},
        status = ${finished ? 'undone' : 'undoing'}, undone_at = ${finished ? scope.now : null}, updated_at = ${scope.now}
      where ${here}`),
  );
  await scope.ws.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return { finished };
}
