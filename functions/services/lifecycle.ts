import { and, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { conflict, notFound } from './errors';
import type { JsonText } from './json-views';
import { writeRecord } from './records';
import type { OutboundEventType } from '../domain/webhooks/outbound-events';
import type { Scope } from './scope';
import { recordEvent } from './webhooks/outbox';

// Moving a record to the trash and back, for every object that has a
// trash: one audited batch each, gated on the record being where the
// request expects it (live to trash, trashed to restore).

type Trashable = SQLiteTable & {
  id: SQLiteColumn;
  workspaceId: SQLiteColumn;
  deletedAt: SQLiteColumn;
  updatedAt: SQLiteColumn;
};

// `type` names the record in the audit trail; `label` in errors. Objects
// that outbound webhooks report name their events: a move to the trash is
// a deletion (with the record's id and name), a restore makes it exist again.
export type RecordKind<T extends Trashable> = {
  table: T;
  type: string;
  label: string;
  events?: { created: OutboundEventType; deleted: OutboundEventType; summary: (scope: Scope, id: string) => SQL };
};

export async function trashRecord<T extends Trashable>(scope: Scope, kind: RecordKind<T>, id: string) {
  const { table } = kind;
  const live = and(eq(table.id, id), isNull(table.deletedAt))!;
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(table, live),
    audit: { action: 'delete', entityType: kind.type, entityId: id },
    write: (receipt) => [scope.ws.update(table, { deletedAt: scope.now, updatedAt: scope.now } as never, and(live, receipt)!)],
    emit: (receipt) => (kind.events ? [recordEvent(kind.events.deleted, kind.events.summary(scope, id), receipt)] : []),
  });
  if (!written) throw notFound(kind.label);
}

export async function restoreRecord<T extends Trashable, V>(
  scope: Scope,
  kind: RecordKind<T>,
  id: string,
  jsonOf: (scope: Scope, id: string) => SQL<JsonText<V> | null>,
): Promise<JsonText<V>> {
  const { table } = kind;
  const trashed = and(eq(table.id, id), isNotNull(table.deletedAt))!;
  const { written, answer } = await writeRecord<{ json: JsonText<V> | null; found: number }>(scope, {
    when: scope.ws.exists(table, trashed),
    audit: { action: 'restore', entityType: kind.type, entityId: id },
    write: (receipt) => [scope.ws.update(table, { deletedAt: null, updatedAt: scope.now } as never, and(trashed, receipt)!)],
    emit: (receipt) => (kind.events ? [recordEvent(kind.events.created, jsonOf(scope, id), receipt)] : []),
    answer: scope.db.all(sql`select ${jsonOf(scope, id)} as "json", ${scope.ws.exists(table, eq(table.id, id))} as "found"`),
  });
  if (!written) throw answer?.found ? conflict(`The ${kind.label.toLowerCase()} is not deleted`) : notFound(kind.label);
  return answer!.json!;
}
