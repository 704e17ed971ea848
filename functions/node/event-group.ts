import type { Client } from '@libsql/client';
import type { Db } from '../../db/client';
import { rowStatement } from '../../db/row-statement';
import { webhookEvents } from '../../db/schema';
import { queueMessages } from '../../db/schema/queue';
import { eventMessage, type NewEvent, type WriteEvents } from '../services/webhooks/store';
import { messageRows } from './queue';

// A group of verified webhook requests and their `events` messages in one
// transaction: one commit, one fsync. Which rows are new is known only
// after the insert, so every row gets a message; that of a resend names an
// id that was never stored, which the consumer finds missing and acks
// (services/webhooks/apply.ts). One prepared statement per table, run once
// per row (db/row-statement.ts).
export function eventGroupWriter(client: Client, db: Db, now: () => number): WriteEvents {
  const insertEvent = rowStatement(webhookEvents, (row) => db.insert(webhookEvents).values(row).onConflictDoNothing());
  const insertMessage = rowStatement(queueMessages, (row) => db.insert(queueMessages).values(row));
  return async (rows: NewEvent[]) => {
    const messages = messageRows('events', rows.map((row) => eventMessage(row.workspaceId, row.id)), now());
    const results = await client.batch([...rows.map(insertEvent), ...messages.map(insertMessage)], 'write');
    return rows.filter((_, i) => results[i]!.rowsAffected === 1).map((row) => row.id);
  };
}
