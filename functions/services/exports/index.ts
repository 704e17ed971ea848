import { eq, sql } from 'drizzle-orm';
import { customFieldDefinitions, memberships, users } from '../../../db/schema';
import type { Cursor } from '../../domain/cursor';
import { decodeCursorText } from '../../domain/cursor';
import type { CustomFieldEntity } from '../../domain/custom-fields';
import type { CustomFieldValues } from '../../domain/records';
import { csvRecord, spreadsheetSafe, UTF8_BOM, type Cell } from '../../domain/csv/write';
import type { Scope } from '../scope';

// CSV export of a list as it is filtered and sorted: the list service's own
// pages, read one after another by cursor while the response streams, so
// no more than a page is ever held. Any list exports by configuration: its
// columns (keyed as the list's columns are in the UI, custom fields as
// cf.<key>) and how to read a page. Text cells are made safe for
// spreadsheets (domain/csv/write.ts); a UTF-8 BOM makes Excel read the file
// as UTF-8.

export type ExportContext = { members: Map<string, string> };
export type ExportColumn<Row> = { label: string; value: (row: Row, context: ExportContext) => Cell };

export type ExportConfig<Query, Row extends object> = {
  // Names the file ("contacts-2026-11-23.csv").
  plural: string;
  // Null for lists without custom fields (products, orders).
  customFieldEntity: CustomFieldEntity | null;
  columns: Record<string, ExportColumn<Row>>;
  defaultColumns: readonly string[];
  // Columns a file cannot do without beside those asked for (amounts need
  // their currency).
  complete?: (keys: readonly string[]) => readonly string[];
  page(scope: Scope, query: Query, cursor: Cursor | undefined, limit: number): Promise<string>;
};

export const EXPORT_PAGE = 200;

export const joined = (values: readonly string[] | null | undefined) => (values ?? []).join('; ');

function customValue(value: CustomFieldValues[string] | undefined): Cell {
  return Array.isArray(value) ? joined(value) : (value ?? null);
}

async function contextOf(scope: Scope, entity: CustomFieldEntity | null) {
  const [people, fields] = await scope.ws.batch([
    scope.db
      .select({ id: users.id, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(scope.ws.scope(memberships)),
    scope.db
      .select({ key: customFieldDefinitions.key, label: customFieldDefinitions.label })
      .from(customFieldDefinitions)
      .where(scope.ws.scope(customFieldDefinitions, entity ? eq(customFieldDefinitions.entity, entity) : sql`0`)),
  ]);
  return { members: new Map(people.map((p) => [p.id, p.name])), labels: new Map(fields.map((f) => [f.key, f.label])) };
}

// Columns asked for that this list does not have are left out, not
// refused: a saved view may name a custom field deleted since.
export async function exportCsv<Query, Row extends object>(
  scope: Scope,
  config: ExportConfig<Query, Row>,
  query: Query,
  asked: readonly string[] | undefined,
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { members, labels } = await contextOf(scope, config.customFieldEntity);
  const context = { members };
  const keys = asked?.length ? asked : config.defaultColumns;
  const columns = (config.complete?.(keys) ?? keys).flatMap((key): ExportColumn<Row>[] => {
    const builtIn = config.columns[key];
    if (builtIn) return [builtIn];
    const custom = key.startsWith('cf.') ? key.slice(3) : null;
    if (custom && labels.has(custom)) return [{ label: labels.get(custom)!, value: (row) => customValue((row as { customFields?: CustomFieldValues }).customFields?.[custom]) }];
    return [];
  });
  const encoder = new TextEncoder();
  let cursor: Cursor | undefined;
  let started = false;
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(UTF8_BOM + csvRecord(columns.map((c) => c.label))));
        return;
      }
      if (finished) return;
      const page = JSON.parse(await config.page(scope, query, cursor, EXPORT_PAGE)) as { data: Row[]; nextCursor: string | null };
      const text = page.data.map((row) => csvRecord(columns.map((c) => spreadsheetSafe(c.value(row, context))))).join('');
      if (text) controller.enqueue(encoder.encode(text));
      if (page.nextCursor) {
        const [v, id] = decodeCursorText(page.nextCursor) as [string | number, string];
        cursor = { v, id };
      } else {
        finished = true;
        controller.close();
      }
    },
  });
  const day = new Date(scope.now).toISOString().slice(0, 10);
  return { filename: `${config.plural}-${day}.csv`, body };
}
