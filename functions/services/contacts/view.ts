import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import type { ContactView } from '../../schemas/contacts';
import { embedded, isoTime, jsonObject, type JsonText } from '../json-views';
import type { Scope } from '../scope';

// What a contact is shown with: its columns (less the search text and row
// number, which only the index reads) and its company's name, in one
// statement. The join stays inside the workspace and ignores companies in
// the trash.
export const contactJson = jsonObject<ContactView>({
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  emails: embedded(contacts.emails),
  phones: embedded(contacts.phones),
  address: embedded(contacts.address),
  jobTitle: contacts.jobTitle,
  companyId: contacts.companyId,
  companyName: companies.name,
  ownerId: contacts.ownerId,
  lifecycleStage: contacts.lifecycleStage,
  leadSource: contacts.leadSource,
  tags: embedded(contacts.tags),
  preferredChannel: contacts.preferredChannel,
  emailConsent: contacts.emailConsent,
  emailConsentAt: isoTime(contacts.emailConsentAt),
  emailConsentMethod: contacts.emailConsentMethod,
  softData: embedded(contacts.softData),
  customFields: embedded(contacts.customFields),
  createdAt: isoTime(contacts.createdAt),
  updatedAt: isoTime(contacts.updatedAt),
  deletedAt: isoTime(contacts.deletedAt),
});

// A contact as outbound webhooks report its deletion: its id and name (the
// first email when it has no name).
export const contactSummaryJson = sql`json_object('id', ${contacts.id}, 'name', coalesce(nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), ''), json_extract(${contacts.emails}, '$[0].address')))`;

export const liveCompany = and(eq(companies.id, contacts.companyId), eq(companies.workspaceId, contacts.workspaceId), isNull(companies.deletedAt));

// One contact's JSON as a scalar subquery, for a select that reads more.
export function contactJsonOf(scope: Scope, id: string): SQL<JsonText<ContactView> | null> {
  return sql`(select ${contactJson} from ${contacts} left join ${companies} on ${liveCompany} where ${scope.ws.scope(contacts, eq(contacts.id, id))})`;
}
