// What Relate tells other tools (outbound webhooks): each event type a
// subscription can choose, with the line the UI shows for it. The body of
// every request is Standard Webhooks' { type, timestamp, data }, data being
// the record as GET answers it (for a deletion, its id and name).
// CSV imports are not reported record by record: a 100k-row import would
// owe every subscription 100k requests. A receiver that mirrors the list
// reads it again after an import (an import.completed event is the way to
// tell it, when one is added).

export const OUTBOUND_EVENTS = {
  'contact.created': 'A contact was added (also when one is restored from the trash)',
  'contact.updated': 'A contact was changed, one at a time or by a bulk edit',
  'contact.deleted': 'A contact was moved to the trash, one at a time or in bulk',
  'company.created': 'A company was added (also when one is restored from the trash)',
  'company.updated': 'A company was changed, one at a time or by a bulk edit',
  'company.deleted': 'A company was moved to the trash, one at a time or in bulk',
  'lead.captured': 'A form fill brought in a person Relate did not know (the new contact)',
  'email.bounced': 'An address hard-bounced and is now suppressed',
  'contact.unsubscribed': 'An address unsubscribed and is now suppressed',
} as const;

export type OutboundEventType = keyof typeof OUTBOUND_EVENTS;
export const OUTBOUND_EVENT_TYPES = Object.keys(OUTBOUND_EVENTS) as [OutboundEventType, ...OutboundEventType[]];

export const outboundCatalogue = () => OUTBOUND_EVENT_TYPES.map((type) => ({ type, description: OUTBOUND_EVENTS[type] }));
