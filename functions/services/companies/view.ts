import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import type { CompanyView } from '../../schemas/companies';
import { embedded, isoTime, jsonObject, type JsonText } from '../json-views';
import type { Scope } from '../scope';

// A company as the API shows it, with the number of its people outside the
// trash (a correlated count over the (workspace, company) index of live
// contacts), in the statement that reads the company.
export const companyJson = jsonObject<CompanyView>({
  id: companies.id,
  name: companies.name,
  domain: companies.domain,
  website: companies.website,
  industry: companies.industry,
  employees: companies.employees,
  phone: companies.phone,
  address: embedded(companies.address),
  description: companies.description,
  ownerId: companies.ownerId,
  tags: embedded(companies.tags),
  customFields: embedded(companies.customFields),
  contactCount: sql`(select count(*) from ${contacts} where ${and(
    eq(contacts.workspaceId, companies.workspaceId),
    eq(contacts.companyId, companies.id),
    isNull(contacts.deletedAt),
  )})`,
  createdAt: isoTime(companies.createdAt),
  updatedAt: isoTime(companies.updatedAt),
  deletedAt: isoTime(companies.deletedAt),
});

// A company as outbound webhooks report its deletion.
export const companySummaryJson = sql`json_object('id', ${companies.id}, 'name', ${companies.name})`;

// One company's JSON as a scalar subquery, for a select that reads more.
export function companyJsonOf(scope: Scope, id: string): SQL<JsonText<CompanyView> | null> {
  return sql`(select ${companyJson} from ${companies} where ${scope.ws.scope(companies, eq(companies.id, id))})`;
}
