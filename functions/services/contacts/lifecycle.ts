import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { activities, contacts } from '../../../db/schema';
import type { ContactView } from '../../schemas/contacts';
import { conflict, notFound } from '../errors';
import type { JsonText } from '../json-views';
import { writeRecord } from '../records';
import type { Scope } from '../scope';
import { contactJsonOf } from './view';

// Delete is soft: the contact leaves lists and search at once and can be
// restored until the nightly maintenance purges it after the undo window.
export async function deleteContact(scope: Scope, id: string) {
  const live = and(eq(contacts.id, id), isNull(contacts.deletedAt));
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(contacts, live),
    audit: { action: 'delete', entityType: 'contact', entityId: id },
    write: (receipt) => [scope.ws.update(contacts, { deletedAt: scope.now, updatedAt: scope.now }, and(live, receipt)!)],
  });
  if (!written) throw notFound('Contact');
}

export async function restoreContact(scope: Scope, id: string): Promise<JsonText<ContactView>> {
  const trashed = and(eq(contacts.id, id), isNotNull(contacts.deletedAt));
  const { written, answer } = await writeRecord<{ json: JsonText<ContactView> | null; found: number }>(scope, {
    when: scope.ws.exists(contacts, trashed),
    audit: { action: 'restore', entityType: 'contact', entityId: id },
    write: (receipt) => [scope.ws.update(contacts, { deletedAt: null, updatedAt: scope.now }, and(trashed, receipt)!)],
    answer: scope.db.all(sql`select ${contactJsonOf(scope, id)} as "json", ${scope.ws.exists(contacts, eq(contacts.id, id))} as "found"`),
  });
  if (!written) throw answer?.found ? conflict('The contact is not deleted') : notFound('Contact');
  return answer!.json!;
}

// A purge removes the contact and its timeline for good; the audit row
// records that it happened, not what it held.
export async function purgeContact(scope: Scope, id: string) {
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(contacts, eq(contacts.id, id)),
    audit: { action: 'purge', entityType: 'contact', entityId: id },
    write: (receipt) => [
      scope.ws.delete(activities, and(eq(activities.contactId, id), receipt)!),
      scope.ws.delete(contacts, and(eq(contacts.id, id), receipt)!),
    ],
  });
  if (!written) throw notFound('Contact');
}
