import { and, eq, isNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { contactEmails, contacts, contactTouches } from '../../../db/schema';
import type { ContactPhone } from '../../domain/records';
import { normalizedPhone, type FormFill } from '../../domain/webhooks/forms';
import { contactCreate } from '../../schemas/contacts';
import { createContact, createContactUnless } from '../contacts';
import { contactJsonOf } from '../contacts/view';
import type { Scope } from '../scope';
import { insertedIds, nudge, outboxInsert, recordEvent } from './outbox';

// A form fill applied: the person found by email (ignoring case) or by
// phone number (normalised), or made a lead; and a touch on their
// timeline saying where they came from. Running it again finds the same
// person and the same touch (keyed by the request), so a redelivered
// message or a replay adds nothing. `recordOutcome` is the statement that
// writes the outcome on the event: it commits with the touch, so an event
// is applied exactly when its touch is, in one transaction fewer.

export type FormOutcome = { contactId: string; created: boolean } | { ignored: string } | { refused: string };

const withEmail = (scope: Scope, email: string) =>
  and(scope.ws.scope(contactEmails, eq(contactEmails.address, email)), scope.ws.scope(contacts, isNull(contacts.deletedAt)));

async function byEmail(scope: Scope, email: string): Promise<string | null> {
  const [row] = await scope.db
    .select({ id: contacts.id })
    .from(contactEmails)
    .innerJoin(contacts, eq(contacts.id, contactEmails.contactId))
    .where(withEmail(scope, email))
    .limit(1);
  return row?.id ?? null;
}

const emailTaken = (scope: Scope, email: string) =>
  sql`exists (select 1 from ${contactEmails} inner join ${contacts} on ${contacts.id} = ${contactEmails.contactId} where ${withEmail(scope, email)})`;

// Through the contacts' trigram index, which holds each number's digits,
// then compared normalised: "+44 20 7946 0958" is "0044 (20) 7946-0958".
async function byPhone(scope: Scope, phone: string): Promise<string | null> {
  const digits = phone.replace(/\D/g, '');
  const rows = await scope.db
    .select({ id: contacts.id, phones: contacts.phones })
    .from(contacts)
    .where(and(sql`${contacts.seq} in (select rowid from contacts_fts where contacts_fts match ${`"${digits}"`})`, scope.ws.scope(contacts, isNull(contacts.deletedAt))))
    .orderBy(contacts.createdAt, contacts.id)
    .limit(50);
  const match = rows.find((row) => (row.phones as ContactPhone[]).some((p) => normalizedPhone(p.number) === phone));
  return match?.id ?? null;
}

// The person the fill is from, made a lead. Made only while no one has
// the address: a fill of the same address applied meanwhile (by another
// consumer, in another process) made them, and they are the one.
async function makeLead(scope: Scope, sourceName: string, fill: FormFill): Promise<{ contactId: string; created: boolean } | { refused: string }> {
  const input = contactCreate.safeParse({
    firstName: fill.firstName ?? undefined,
    lastName: fill.lastName ?? undefined,
    emails: fill.email ? [{ address: fill.email }] : undefined,
    phones: fill.phone ? [{ number: fill.phone }] : undefined,
    jobTitle: fill.jobTitle ?? undefined,
    lifecycleStage: 'lead',
    leadSource: (fill.utm.source ?? sourceName).slice(0, 100),
  });
  if (!input.success) return { refused: input.error.issues.map((i) => `${i.path.join('.') || 'contact'}: ${i.message}`).join('; ') };
  const made = fill.email ? await createContactUnless(scope, input.data, emailTaken(scope, fill.email)) : await createContact(scope, input.data);
  if (made) return { contactId: (JSON.parse(made) as { id: string }).id, created: true };
  const contactId = await byEmail(scope, fill.email!);
  // Trashed in between: the queue's retry makes them anew.
  if (!contactId) throw new Error('The person with the address was trashed while the fill was applied');
  return { contactId, created: false };
}

export async function applyFormFill(
  scope: Scope,
  event: { id: string; sourceId: string; receivedAt: number },
  sourceName: string,
  fill: FormFill,
  recordOutcome: (outcome: FormOutcome) => BatchItem<'sqlite'>,
): Promise<void> {
  const recordAlone = async (outcome: FormOutcome) => void (await scope.ws.batch([recordOutcome(outcome)]));
  const phone = normalizedPhone(fill.phone);
  if (!fill.email && !phone) return recordAlone({ ignored: 'The form gave no email address or phone number' });
  const found = (fill.email ? await byEmail(scope, fill.email) : null) ?? (phone ? await byPhone(scope, phone) : null);
  const person = found ? { contactId: found, created: false } : await makeLead(scope, sourceName, fill);
  if ('refused' in person) return recordAlone(person);
  const { contactId, created } = person;
  const touch = scope.db
    .insert(contactTouches)
    .values({
      id: event.id,
      workspaceId: scope.ws.workspaceId,
      contactId,
      sourceId: event.sourceId,
      channel: 'form',
      at: event.receivedAt,
      utm: fill.utm,
      landingPage: fill.landingPage,
      referrer: fill.referrer,
      detail: { message: fill.message, company: fill.company },
    })
    .onConflictDoNothing();
  // lead.captured once per request (its key), however often it is applied.
  // A first application that died between making the person and this batch
  // leaves the retry finding them, not making them: that lead is reported
  // by its contact.created alone.
  const lead = created ? [outboxInsert(scope, recordEvent('lead.captured', contactJsonOf(scope, contactId), sql`1`, `lead:${event.id}`))] : [];
  const [, ...outbox] = await scope.ws.batch([touch, ...lead, recordOutcome({ contactId, created })]);
  await nudge(scope.queues, scope.ws.workspaceId, outbox.slice(0, lead.length).flatMap(insertedIds));
}
