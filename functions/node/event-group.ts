import type { Client } from '@libsql/client';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rowStatement } from '../../db/row-statement';
import { webhookEvents, webhookSources } from '../../db/schema';
import { queueMessages } from '../../db/schema/queue';
import { eventMessage, type VersionedEvent, type WriteEvents } from '../services/webhooks/store';
import { messageRows } from './queue';

// A group of verified webhook requests and their `events` messages in one
// transaction: one commit, one fsync. Which rows are new is known only
// after the insert, so every row gets a message; that of a resend names an
// id that was never stored, which the consumer finds missing and acks
// (services/webhooks/apply.ts). One prepared statement per table, run once
// per row (db/row-statement.ts).
//
// A row is stored only while its source is enabled and at the version it
// was verified against (the serving processes remember sources,
// services/webhooks/source-cache.ts): one read of the group's sources,
// just before its transaction, as the serving process's own read of the
// source always came just before the write.
export function eventGroupWriter(client: Client, db: Db, now: () => number): WriteEvents {
  const insertEvent = rowStatement(webhookEvents, (row) => db.insert(webhookEvents).values(row).onConflictDoNothing());
  const insertMessage = rowStatement(queueMessages, (row) => db.insert(queueMessages).values(row));
  const sourceVersions = db
    .select({ id: webhookSources.id, version: webhookSources.updatedAt })
    .from(webhookSources)
    .where(and(eq(webhookSources.enabled, true), sql`${webhookSources.id} in (select value from json_each(${sql.placeholder('ids')}))`))
    .prepare();
  return async (group: VersionedEvent[]) => {
    const current = new Map((await sourceVersions.all({ ids: JSON.stringify([...new Set(group.map((row) => row.sourceId))]) })).map((s) => [s.id, s.version]));
    const rows = group.filter((row) => current.get(row.sourceId) === row.sourceVersion);
    if (rows.length === 0) return [];
    const messages = messageRows('events', rows.map((row) => eventMessage(row.workspaceId, row.id)), now());
    const results = await client.batch([...rows.map(insertEvent), ...messages.map(insertMessage)], 'write');
    return rows.filter((_, i) => results[i]!.rowsAffected === 1).map((row) => row.id);
  };
}
