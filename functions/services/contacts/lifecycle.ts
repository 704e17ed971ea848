import { eq } from 'drizzle-orm';
import { activities, contacts } from '../../../db/schema';
import type { Scope } from '../scope';
import { AppError } from '../errors';
import { auditEntry } from '../records';
import { findContact } from './write';

// Delete is soft: the contact leaves lists and search at once and can be
// restored until the nightly maintenance purges it after the undo window.
export async function deleteContact(scope: Scope, id: string) {
  await findContact(scope, id);
  await scope.ws.batch([
    scope.ws.update(contacts, { deletedAt: scope.now, updatedAt: scope.now }, eq(contacts.id, id)),
    auditEntry(scope, 'delete', 'contact', id),
  ]);
}

export async function restoreContact(scope: Scope, id: string) {
  const row = await findContact(scope, id, { deleted: true });
  if (row.deletedAt === null) throw new AppError(409, 'conflict', 'The contact is not deleted');
  await scope.ws.batch([
    scope.ws.update(contacts, { deletedAt: null, updatedAt: scope.now }, eq(contacts.id, id)),
    auditEntry(scope, 'restore', 'contact', id),
  ]);
}

// A purge removes the contact and its timeline for good; the audit row
// records that it happened, not what it held.
export async function purgeContact(scope: Scope, id: string) {
  await findContact(scope, id, { deleted: true });
  await scope.ws.batch([
    scope.ws.delete(activities, eq(activities.contactId, id)),
    scope.ws.delete(contacts, eq(contacts.id, id)),
    auditEntry(scope, 'purge', 'contact', id),
  ]);
}
