import { and, eq, sql } from 'drizzle-orm';
import { activities, contacts, contactTouches } from '../../../db/schema';
import type { ContactView } from '../../schemas/contacts';
import { notFound } from '../errors';
import type { JsonText } from '../json-views';
import { writeRecord } from '../records';
import { restoreRecord, trashRecord } from '../lifecycle';
import type { Scope } from '../scope';
import { contactJsonOf, contactSummaryJson } from './view';

// Delete is soft: the contact leaves lists and search at once and can be
// restored until the nightly maintenance purges it after the undo window.
const summary = (scope: Scope, id: string) => sql`(select ${contactSummaryJson} from ${contacts} where ${scope.ws.scope(contacts, eq(contacts.id, id))})`;
const kind = { table: contacts, type: 'contact', label: 'Contact', events: { created: 'contact.created', deleted: 'contact.deleted', summary } } as const;

export const deleteContact = (scope: Scope, id: string) => trashRecord(scope, kind, id);

export const restoreContact = (scope: Scope, id: string): Promise<JsonText<ContactView>> => restoreRecord(scope, kind, id, contactJsonOf);

// A purge removes the contact and its timeline for good; the audit row
// records that it happened, not what it held.
export async function purgeContact(scope: Scope, id: string) {
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(contacts, eq(contacts.id, id)),
    audit: { action: 'purge', entityType: 'contact', entityId: id },
    write: (receipt) => [
      scope.ws.delete(activities, and(eq(activities.contactId, id), receipt)!),
      scope.ws.delete(contactTouches, and(eq(contactTouches.contactId, id), receipt)!),
      scope.ws.delete(contacts, and(eq(contacts.id, id), receipt)!),
    ],
  });
  if (!written) throw notFound('Contact');
}
