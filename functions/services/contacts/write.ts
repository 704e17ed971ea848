import { and, eq, isNull } from 'drizzle-orm';
import { contacts } from '../../../db/schema';
import { changedCustomValues, mergeCustomFields } from '../../domain/custom-fields';
import { newId } from '../../domain/ids';
import { contactSearchText, sortKey } from '../../domain/records';
import type { Scope } from '../scope';
import type { ContactInput } from '../../schemas/contacts';
import { invalid, notFound } from '../errors';
import { auditEntry, checkCustomFields, checkOwner, findCompanyName } from '../records';
import { selectContactViews, toView } from './view';

type Row = typeof contacts.$inferSelect;

export async function findContact(scope: Scope, id: string, { deleted = false } = {}): Promise<Row> {
  const [row] = await scope.ws.select(
    contacts,
    and(eq(contacts.id, id), deleted ? undefined : isNull(contacts.deletedAt)),
  );
  if (!row) throw notFound('Contact');
  return row;
}

export async function getContact(scope: Scope, id: string) {
  const [row] = await selectContactViews(scope, and(eq(contacts.id, id), isNull(contacts.deletedAt)));
  if (!row) throw notFound('Contact');
  return toView(row);
}

// Consent changes are stamped with when they happened, so the record can
// show when and how a person said yes or no.
function consentStamp(input: ContactInput, current: Row | undefined, now: number) {
  if (input.emailConsent === undefined || input.emailConsent === current?.emailConsent) return {};
  return { emailConsentAt: input.emailConsent === 'unknown' ? null : now };
}

function derived(row: Pick<Row, 'firstName' | 'lastName' | 'emails' | 'phones'>, companyName: string | null) {
  return {
    sortName: sortKey(row.firstName, row.lastName) || sortKey(row.emails[0]?.address),
    searchText: contactSearchText({ ...row, companyName }),
  };
}

export async function createContact(scope: Scope, input: ContactInput) {
  await checkOwner(scope, input.ownerId);
  await checkCustomFields(scope, 'contact', input.customFields ?? {});
  const companyName = await findCompanyName(scope, input.companyId, { linking: true });
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
    emailConsentMethod: input.emailConsentMethod ?? null,
    softData: input.softData ?? {},
    customFields: input.customFields ?? {},
    ...consentStamp(input, undefined, scope.now),
    ...derived(base, companyName),
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  await scope.ws.batch([scope.ws.insert(contacts, row), auditEntry(scope, 'create', 'contact', row.id)]);
  return getContact(scope, row.id);
}

export async function updateContact(scope: Scope, id: string, input: ContactInput) {
  const current = await findContact(scope, id);
  // Only references and values the edit changes are checked: a contact
  // whose owner left or whose company is in the trash stays editable.
  if (input.ownerId !== current.ownerId) await checkOwner(scope, input.ownerId);
  if (input.customFields) await checkCustomFields(scope, 'contact', changedCustomValues(current.customFields, input.customFields));
  const linking = input.companyId !== undefined && input.companyId !== current.companyId;
  const companyName = await findCompanyName(scope, linking ? input.companyId : current.companyId, { linking });
  const next = { ...current, ...stripUndefined(input) };
  if (!next.firstName && !next.lastName && next.emails.length === 0) {
    throw invalid('A contact needs a first name, a last name or an email', [{ path: 'firstName', message: 'required' }]);
  }
  const set = {
    ...stripUndefined(input),
    customFields: input.customFields ? mergeCustomFields(current.customFields, input.customFields) : current.customFields,
    ...consentStamp(input, current, scope.now),
    ...derived(next, companyName),
    updatedAt: scope.now,
  };
  await scope.ws.batch([
    scope.ws.update(contacts, set, eq(contacts.id, id)),
    auditEntry(scope, 'update', 'contact', id, { fields: Object.keys(stripUndefined(input)) }),
  ]);
  return getContact(scope, id);
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
