import { and, eq, sql } from 'drizzle-orm';
import { activities, companies } from '../../../db/schema';
import type { CompanyView } from '../../schemas/companies';
import { notFound } from '../errors';
import type { JsonText } from '../json-views';
import { changedMeanwhile, writeRecord } from '../records';
import { restoreRecord, trashRecord } from '../lifecycle';
import type { Scope } from '../scope';
import { companyJsonOf, companySummaryJson } from './view';
import { renameInSearchText } from './write';

const summary = (scope: Scope, id: string) => sql`(select ${companySummaryJson} from ${companies} where ${scope.ws.scope(companies, eq(companies.id, id))})`;
const kind = { table: companies, type: 'company', label: 'Company', events: { created: 'company.created', deleted: 'company.deleted', summary } } as const;

export const deleteCompany = (scope: Scope, id: string) => trashRecord(scope, kind, id);

export const restoreCompany = (scope: Scope, id: string): Promise<JsonText<CompanyView>> => restoreRecord(scope, kind, id, companyJsonOf);

// Purging a company keeps its people: they lose the link, not their
// records, and their search text loses the company's name. The name is read
// first (the search text holds it lower-cased, which only JS does right);
// the purge is held back if the company was renamed since.
export async function purgeCompany(scope: Scope, id: string) {
  const [stored] = await scope.ws.select(companies, eq(companies.id, id));
  if (!stored) throw notFound('Company');
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(companies, and(eq(companies.id, id), eq(companies.name, stored.name))),
    audit: { action: 'purge', entityType: 'company', entityId: id },
    write: (receipt) => [
      scope.ws.delete(activities, and(eq(activities.companyId, id), receipt)!),
      renameInSearchText(scope, id, stored.name, null, receipt),
      scope.ws.delete(companies, and(eq(companies.id, id), receipt)!),
    ],
  });
  if (!written) throw changedMeanwhile('company');
}
