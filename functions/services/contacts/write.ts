import { and, eq, isNull, not, sql, type SQL } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import { changedCustomValues } from '../../domain/custom-fields';
import { newId } from '../../domain/ids';
import { contactSearchText, sortKey, type ContactEmail, type ContactPhone } from '../../domain/records';
import type { ContactInput, ContactView } from '../../schemas/contacts';
import { invalid, notFound } from '../errors';
import { embedded, type JsonText } from '../json-views';
import {
  changedMeanwhile,
  fieldChanges,
  checkReferences,
  definedOnly,
  readReferences,
  referenceColumns,
  referenceGuards,
  someValues,
  writeRecord,
  type References,
  type ReferenceState,
} from '../records';
import type { Scope } from '../scope';
import { recordEvent } from '../webhooks/outbox';
import { preparedReads } from '../workspace-data';
import { contactJson, contactJsonOf, liveCompany } from './view';

const contactById = preparedReads((db, scope) =>
  db
    .select({ json: contactJson })
    .from(contacts)
    .leftJoin(companies, liveCompany)
    .where(scope(contacts, and(eq(contacts.id, sql.placeholder('id')), isNull(contacts.deletedAt)))),
);

export async function getContact(scope: Scope, id: string): Promise<JsonText<ContactView>> {
  const [row] = await scope.ws.read(contactById, undefined, { id });
  if (!row) throw notFound('Contact');
  return row.json;
}

function derived(row: { firstName: string; lastName: string; emails: ContactEmail[]; phones: ContactPhone[] }, companyName: string | null) {
  return {
    sortName: sortKey(row.firstName, row.lastName) || sortKey(row.emails[0]?.address),
    searchText: contactSearchText({ ...row, companyName }),
  };
}

// Consent changes are stamped with when they happened, so the record can
// show when and how a person said yes or no. Written as SQL over the stored
// status, so the stamp follows the row as it is when the write runs.
function consentStamp(input: ContactInput, now: number) {
  if (input.emailConsent === undefined) return {};
  const stamp = input.emailConsent === 'unknown' ? null : now;
  return { emailConsentAt: sql`case when ${contacts.emailConsent} = ${input.emailConsent} then ${contacts.emailConsentAt} else ${stamp} end` };
}

export async function createContact(scope: Scope, input: ContactInput): Promise<JsonText<ContactView>> {
  return (await insertContact(scope, input))!;
}

// The contact made only while `unless` does not hold as the write runs
// (someone already has the address a form gave, say), so that two
// requests racing to make the same person make one; null when it held.
export const createContactUnless = (scope: Scope, input: ContactInput, unless: SQL): Promise<JsonText<ContactView> | null> =>
  insertContact(scope, input, unless);

async function insertContact(scope: Scope, input: ContactInput, unless?: SQL): Promise<JsonText<ContactView> | null> {
  const customFields = someValues(input.customFields);
  const refs: References = {
    ownerId: input.ownerId ?? undefined,
    company: input.companyId ? { id: input.companyId, linking: true } : undefined,
    customFields: customFields && { entity: 'contact', values: customFields },
  };
  // The company's name goes into the search text and the custom values are
  // checked in JS, so those need one read first; an owner is only a guard.
  const state = refs.company || refs.customFields ? await readReferences(scope, refs) : undefined;
  const { companyName } = state ? checkReferences(state, refs) : { companyName: null };
  const base = {
    firstName: input.firstName ?? '',
    lastName: input.lastName ?? '',
    emails: input.emails ?? [],
    phones: input.phones ?? [],
  };
  const row = {
    ...base,
    id: newId('contact', scope.now),
    address: input.address ?? null,
    jobTitle: input.jobTitle ?? null,
    companyId: input.companyId ?? null,
    ownerId: input.ownerId === undefined ? scope.actor.userId : input.ownerId,
    lifecycleStage: input.lifecycleStage ?? 'lead',
    leadSource: input.leadSource ?? null,
    tags: input.tags ?? [],
    preferredChannel: input.preferredChannel ?? null,
    emailConsent: input.emailConsent ?? 'unknown',
    emailConsentAt: input.emailConsent && input.emailConsent !== 'unknown' ? scope.now : null,
    emailConsentMethod: input.emailConsentMethod ?? null,
    softData: input.softData ?? {},
    customFields: input.customFields ?? {},
    ...derived(base, companyName),
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  const { written, answer } = await writeRecord<{ json: JsonText<ContactView>; held: number } & ReferenceState>(scope, {
    when: and(referenceGuards(scope, refs, companyName), unless ? not(unless) : undefined),
    audit: { action: 'create', entityType: 'contact', entityId: row.id },
    write: (receipt) => [scope.ws.insertWhere(contacts, row, receipt)],
    emit: (receipt) => [recordEvent('contact.created', contactJsonOf(scope, row.id), receipt)],
    answer: scope.db.all(sql`select ${contactJsonOf(scope, row.id)} as "json", ${unless ?? sql`0`} as "held", ${referenceColumns(scope, refs)}`),
  });
  if (!written) {
    if (answer!.held) return null;
    checkReferences(answer!, refs);
    throw changedMeanwhile('company');
  }
  return answer!.json;
}

// The stored contact as an edit needs it: JSON columns as stored text, so
// the guard can compare them as they are.
type Stored = ReferenceState & {
  firstName: string;
  lastName: string;
  emails: string;
  phones: string;
  companyId: string | null;
  ownerId: string | null;
  customFields: string;
};

function storedColumns(scope: Scope, input: ContactInput): SQL {
  const refs: References = {
    ownerId: input.ownerId ?? undefined,
    customFields: input.customFields && { entity: 'contact', values: input.customFields },
  };
  // The company the contact will point at: the one sent, or the link it has.
  const company = input.companyId === undefined ? sql`${contacts.companyId}` : input.companyId;
  return sql`${contacts.firstName} as "firstName", ${contacts.lastName} as "lastName", ${contacts.emails} as "emails",
    ${contacts.phones} as "phones", ${contacts.companyId} as "companyId", ${contacts.ownerId} as "ownerId",
    ${contacts.customFields} as "customFields", ${referenceColumns(scope, refs, company)}`;
}

// What an edit writes, given the contact as stored: the checks of what it
// changes (throwing their 4xx), the columns to set and the guards that hold
// the write back if what it was computed from changes before it runs.
function planUpdate(scope: Scope, stored: Stored, input: ContactInput) {
  const companyId = input.companyId === undefined ? stored.companyId : input.companyId;
  const linking = companyId !== stored.companyId;
  const changedValues = input.customFields && someValues(changedCustomValues(JSON.parse(stored.customFields), input.customFields));
  const refs: References = {
    ownerId: input.ownerId !== undefined && input.ownerId !== stored.ownerId ? input.ownerId : undefined,
    company: { id: companyId, linking },
    customFields: changedValues && { entity: 'contact', values: changedValues },
  };
  const { companyName } = checkReferences(stored, refs);
  const next = {
    firstName: input.firstName ?? stored.firstName,
    lastName: input.lastName ?? stored.lastName,
    emails: input.emails ?? (JSON.parse(stored.emails) as ContactEmail[]),
    phones: input.phones ?? (JSON.parse(stored.phones) as ContactPhone[]),
  };
  if (!next.firstName && !next.lastName && next.emails.length === 0) {
    throw invalid('A contact needs a first name, a last name or an email', [{ path: 'firstName', message: 'required' }]);
  }
  const rederived = linking || [input.firstName, input.lastName, input.emails, input.phones].some((v) => v !== undefined);
  const { customFields, ...fields } = input;
  const set = {
    ...definedOnly(fields),
    ...(customFields ? { customFields: sql`json_patch(${contacts.customFields}, ${JSON.stringify(customFields)})` } : {}),
    ...consentStamp(input, scope.now),
    ...(rederived ? derived(next, companyName) : {}),
    updatedAt: scope.now,
  };
  const guards = and(
    rederived
      ? sql`(${contacts.firstName}, ${contacts.lastName}, ${contacts.emails}, ${contacts.phones}) = (${stored.firstName}, ${stored.lastName}, ${stored.emails}, ${stored.phones}) and ${contacts.companyId} is ${stored.companyId}`
      : undefined,
    referenceGuards(scope, { ownerId: refs.ownerId, company: rederived ? refs.company : undefined }, companyName),
  );
  return { set, guards };
}

// The fields a contact's timeline shows a change of, as JSON values.
const SHOWN = {
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  jobTitle: contacts.jobTitle,
  companyId: contacts.companyId,
  ownerId: contacts.ownerId,
  lifecycleStage: contacts.lifecycleStage,
  tags: embedded(contacts.tags),
  emailConsent: contacts.emailConsent,
};

export async function updateContact(scope: Scope, id: string, input: ContactInput): Promise<JsonText<ContactView>> {
  const live = and(eq(contacts.id, id), isNull(contacts.deletedAt));
  const [stored] = await scope.db.all<Stored>(sql`select ${storedColumns(scope, input)} from ${contacts} where ${scope.ws.scope(contacts, live)}`);
  if (!stored) throw notFound('Contact');
  const { set, guards } = planUpdate(scope, stored, input);
  const where = and(live, guards);
  const { written, answer } = await writeRecord<Stored & { json: JsonText<ContactView> }>(scope, {
    when: scope.ws.exists(contacts, where),
    write: (receipt) => [scope.ws.update(contacts, set, and(where, receipt)!)],
    emit: (receipt) => [recordEvent('contact.updated', contactJsonOf(scope, id), receipt)],
    audit: {
      action: 'update',
      entityType: 'contact',
      entityId: id,
      changes: fieldChanges(input, SHOWN, { from: sql`${contacts}`, where: scope.ws.scope(contacts, eq(contacts.id, id)) }),
    },
    answer: scope.db.all(
      sql`select ${contactJsonOf(scope, id)} as "json", ${storedColumns(scope, input)} from ${contacts} where ${scope.ws.scope(contacts, live)}`,
    ),
  });
  if (!written) {
    if (!answer) throw notFound('Contact');
    planUpdate(scope, answer, input);
    throw changedMeanwhile('contact');
  }
  return answer!.json;
}
