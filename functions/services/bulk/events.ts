import { and, eq, sql, type SQL } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import type { ListEntity } from '../../domain/lists';
import type { OutboundEventType } from '../../domain/webhooks/outbound-events';
import { companyJson, companySummaryJson } from '../companies/view';
import { contactJson, contactSummaryJson, liveCompany } from '../contacts/view';
import type { Scope } from '../scope';
import type { OutboxSource } from '../webhooks/outbox';
import type { BulkAction } from './actions';

// What a chunk of a bulk operation tells outbound webhooks: one event per
// record it changed, as a single edit would (an edit is contact.updated, a
// delete contact.deleted, an Undo's restore contact.created). The records
// are those of the chunk's key range that the chunk's write stamped
// (updated_at = the chunk's clock), read after the write, so the payload is
// the record as changed. An edit of one of them by someone else within the
// same millisecond would be reported once more, never lost.

const EVENTS: Partial<Record<ListEntity, Record<BulkAction['type'], OutboundEventType>>> = {
  contact: { addTags: 'contact.updated', removeTags: 'contact.updated', setOwner: 'contact.updated', setStage: 'contact.updated', setActive: 'contact.updated', delete: 'contact.deleted', restore: 'contact.created' },
  company: { addTags: 'company.updated', removeTags: 'company.updated', setOwner: 'company.updated', setStage: 'company.updated', setActive: 'company.updated', delete: 'company.deleted', restore: 'company.created' },
};

export function bulkEvents(scope: Scope, entity: ListEntity, action: BulkAction, inRange: (key: SQL) => SQL): OutboxSource | null {
  const type = EVENTS[entity]?.[action.type];
  if (!type) return null;
  const deleted = action.type === 'delete';
  if (entity === 'contact') {
    const stamped = scope.ws.scope(contacts, and(inRange(sql`${contacts.seq}`), eq(contacts.updatedAt, scope.now)));
    return sql`select ${type} as type, ${deleted ? contactSummaryJson : contactJson} as data, null as cause
      from ${contacts} left join ${companies} on ${liveCompany} where ${stamped}`;
  }
  const stamped = scope.ws.scope(companies, and(inRange(sql`${companies.id}`), eq(companies.updatedAt, scope.now)));
  return sql`select ${type} as type, ${deleted ? companySummaryJson : companyJson} as data, null as cause from ${companies} where ${stamped}`;
}
